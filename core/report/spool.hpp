// Rendered pieces kept out of memory until the run ends, then read back in whatever order the
// report wants (contract order), so a long run's memory does not grow with its exchanges.
#pragma once

#include <deque>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>

namespace conform::report {

class Spool {
  public:
    // An anonymous file in dir (unlinked at once: nothing is left behind; empty dir: the
    // system's temporary folder), or, for tests and small runs, memory.
    enum class Backing { file, memory };
    explicit Spool(Backing backing = Backing::file, const std::filesystem::path& dir = {});
    ~Spool();
    Spool(Spool&&) noexcept;
    Spool& operator=(Spool&&) noexcept;

    // Keeps text under key (a case id); throws util::FileError when the disk refuses. Results
    // merged from several runs can hold a case more than once: each put is kept.
    void put(const std::string& key, const std::string& text);
    // The earliest text kept under key not taken yet; empty if none.
    std::string take(const std::string& key);

  private:
    std::unique_ptr<std::iostream> m_stream;
    std::size_t m_written = 0;
    std::map<std::string, std::deque<std::pair<std::size_t, std::size_t>>> m_pieces;  // offset, size
};

}  // namespace conform::report
