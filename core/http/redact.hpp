// Keeps secrets out of reports, logs and the console: every text that leaves the runner or the
// mock passes through a Redactor that knows the run's secrets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace conform::http {

inline constexpr std::string_view k_redacted = "***";

// True for headers whose value is a credential (Authorization, X-Auth-Token, ...).
bool is_credential_header(std::string_view name);

class Redactor {
public:
    // Secrets shorter than this are not substring-replaced (they would mangle ordinary text);
    // credential headers are masked whatever their length.
    static constexpr std::size_t k_min_secret_length = 4;

    void add_secret(std::string secret);
    std::string operator()(std::string_view text) const;
    // Credential headers masked, then every secret replaced.
    Headers headers(const Headers& headers) const;

private:
    std::vector<std::string> m_secrets;
};

}  // namespace conform::http
