// Keeps secrets out of reports, logs and the console: every text that leaves the runner or the
// mock passes through a Redactor that knows the run's secrets.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace conform::http {

inline constexpr std::string_view k_redacted = "***";

// Masks each secret in the forms an endpoint may echo it in:
// - as it is, and hex (upper or lower case);
// - base64 and base64url, padded or not; inside a longer base64 text, the characters that
//   depend on the secret alone, for each of the three alignments (1 to 3 characters at either
//   end, which also depend on the neighbouring bytes, stay);
// - any of the above with any of its characters escaped: URL (%XX in either case, + for a
//   space), JSON (\uXXXX for ASCII characters, \/ \" \\ \b \f \n \r \t), JSON escaped twice (a
//   JSON string inside a JSON string: \\u0041, \\\", \\\\, \\n) or HTML character references
//   for ASCII characters (&#65; &#x41; and &amp; &lt; &gt; &quot; &apos;);
// - cut short: at least k_min_secret_length characters of a form followed by the end of the
//   text or a "..." cut marker (messages and recorded bodies are cut).
// Not covered: base64 with line breaks inside the secret, \u escapes and HTML references of
// non-ASCII characters, JSON escaped three times or more, other encodings (quoted-printable,
// compressed bodies).
class Redactor {
  public:
    // Secrets shorter than this are not masked inside text: they would mangle ordinary text,
    // and their encoded forms are too short to find reliably. Credential headers are masked
    // whatever their length.
    static constexpr std::size_t k_min_secret_length = 8;

    // False when the secret is too short to be masked inside text (the caller should warn).
    bool add_secret(std::string secret);
    // A header whose value is a credential whatever it is (an API's token header); Authorization
    // and Proxy-Authorization always are.
    void add_credential_header(std::string name);
    bool is_credential_header(std::string_view name) const;
    std::string operator()(std::string_view text) const;
    // Credential headers masked, then every secret replaced.
    Headers headers(const Headers& headers) const;

  private:
    std::vector<std::string> m_credential_headers = {"Authorization", "Proxy-Authorization"};
    std::vector<std::string> m_secrets;
    std::vector<std::string> m_forms;  // every form of every secret, longest first
    // By first byte of the text: the forms (indices into m_forms, longest first) a match there
    // can be of. An escape byte (% + \) can start any of them.
    std::array<std::vector<std::size_t>, 256> m_candidates;
};

}  // namespace conform::http
