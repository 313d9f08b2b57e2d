#include "http/redact.hpp"

#include <algorithm>
#include <array>

namespace conform::http {

bool is_credential_header(std::string_view name)
{
    static constexpr std::array<std::string_view, 5> k_names = {
        "Authorization", "X-Auth-Token", "X-Subject-Token", "X-Security-Token", "Proxy-Authorization"};
    return std::any_of(k_names.begin(), k_names.end(), [&](auto n) { return iequals(n, name); });
}

void Redactor::add_secret(std::string secret)
{
    if (secret.size() >= k_min_secret_length
        && std::find(m_secrets.begin(), m_secrets.end(), secret) == m_secrets.end()) {
        m_secrets.push_back(std::move(secret));
        // Longest first, so a secret containing another is replaced whole.
        std::sort(m_secrets.begin(), m_secrets.end(),
                  [](const auto& a, const auto& b) { return a.size() > b.size(); });
    }
}

std::string Redactor::operator()(std::string_view text) const
{
    std::string out(text);
    for (const auto& secret : m_secrets) {
        for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + k_redacted.size())) {
            out.replace(pos, secret.size(), k_redacted);
        }
    }
    return out;
}

Headers Redactor::headers(const Headers& headers) const
{
    Headers out;
    for (const auto& entry : headers) {
        if (is_credential_header(entry.name)) {
            out.add(entry.name, std::string(k_redacted));
        } else {
            out.add(entry.name, (*this)(entry.value));
        }
    }
    return out;
}

}  // namespace conform::http
