// A defect in a contract file: which file, where in it (a JSON pointer), and why.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace conform::contract {

struct Problem {
    std::string file;
    std::string pointer;  // "" for the whole document
    std::string reason;

    std::string to_string() const { return file + (pointer.empty() ? "" : ": " + pointer) + ": " + reason; }
};

class ContractError : public util::Error {
  public:
    explicit ContractError(std::vector<Problem> problems)
        : util::Error(util::ErrorKind::input, join(problems)), m_problems(std::move(problems))
    {
    }
    explicit ContractError(Problem problem) : ContractError(std::vector<Problem>{std::move(problem)}) {}

    const std::vector<Problem>& problems() const { return m_problems; }

  private:
    static std::string join(const std::vector<Problem>& problems)
    {
        std::string out;
        for (const auto& p : problems) {
            out += (out.empty() ? "" : "\n") + p.to_string();
        }
        return out;
    }

    std::vector<Problem> m_problems;
};

}  // namespace conform::contract
