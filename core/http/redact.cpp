#include "http/redact.hpp"

#include <algorithm>

#include "http/url.hpp"

namespace conform::http {

namespace {

constexpr std::string_view k_base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Unpadded base64 of bytes.
std::string base64(std::string_view bytes)
{
    std::string out;
    std::size_t bits = 0;
    unsigned buffer = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(k_base64[(buffer >> bits) & 0x3F]);
        }
    }
    if (bits > 0) {
        out.push_back(k_base64[(buffer << (6 - bits)) & 0x3F]);
    }
    return out;
}

std::string url_alphabet(std::string text)
{
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    return text;
}

std::string hex(std::string_view bytes, const char* digits)
{
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
    return out;
}

// The plain forms of a secret; the escaped forms are found while matching (see bytes_for).
std::vector<std::string> forms_of(const std::string& secret)
{
    std::vector<std::string> forms = {secret, hex(secret, "0123456789abcdef"), hex(secret, "0123456789ABCDEF")};
    const auto encoded = base64(secret);
    auto padded = encoded + std::string((4 - encoded.size() % 4) % 4, '=');
    for (const auto& form : {padded, encoded}) {
        forms.push_back(form);
        forms.push_back(url_alphabet(form));
    }
    // Inside a longer base64 text the secret starts at bit 0, 8 or 16 of a 24-bit group; the
    // characters whose 6 bits all come from the secret are the same whatever surrounds it.
    for (std::size_t align = 0; align < 3; ++align) {
        const auto shifted = base64(std::string(align, '\0') + secret);
        const auto first = (8 * align + 5) / 6;
        const auto end = 8 * (align + secret.size()) / 6;
        forms.push_back(shifted.substr(first, end - first));
        forms.push_back(url_alphabet(forms.back()));
    }
    return forms;
}

// The value of the hex digits text[at, at + count), or -1.
int hex_at(std::string_view text, std::size_t at, std::size_t count)
{
    if (at + count > text.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        auto digit = hex_value(text[i]);
        if (digit < 0) {
            return -1;
        }
        value = value * 16 + digit;
    }
    return value;
}

char json_escape_letter(char c)
{
    switch (c) {
    case '/':
        return '/';
    case '"':
        return '"';
    case '\\':
        return '\\';
    case '\b':
        return 'b';
    case '\f':
        return 'f';
    case '\n':
        return 'n';
    case '\r':
        return 'r';
    case '\t':
        return 't';
    default:
        return 0;
    }
}

// How many bytes of an HTML character reference at text[i] ('&') spell the ASCII character
// code: &#65; &#x41; &#X041; or, for the five XML has, its name (&amp;); 0 when none do.
std::size_t html_entity_for(unsigned char code, std::string_view text, std::size_t i)
{
    static constexpr std::pair<char, std::string_view> k_named[] = {
        {'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&apos;"}};
    for (const auto& [named, entity] : k_named) {
        if (code == static_cast<unsigned char>(named) && text.substr(i).starts_with(entity)) {
            return entity.size();
        }
    }
    if (i + 2 >= text.size() || text[i + 1] != '#') {
        return 0;
    }
    const bool hex = text[i + 2] == 'x' || text[i + 2] == 'X';
    std::size_t k = i + 2 + (hex ? 1 : 0);
    unsigned value = 0;
    const auto digits_start = k;
    for (; k < text.size() && k - digits_start < 8; ++k) {
        const int digit = hex ? hex_value(text[k]) : (text[k] >= '0' && text[k] <= '9' ? text[k] - '0' : -1);
        if (digit < 0) {
            break;
        }
        value = value * (hex ? 16 : 10) + static_cast<unsigned>(digit);
    }
    return k > digits_start && k < text.size() && text[k] == ';' && value == code ? k + 1 - i : 0;
}

// How many bytes of text at i spell c: itself, URL-escaped, JSON-escaped (once, or twice as a
// JSON string inside a JSON string: \\u0041, \\n, \\\") or as an HTML character reference; 0 when
// none do.
std::size_t bytes_for(char c, std::string_view text, std::size_t i)
{
    if (i >= text.size()) {
        return 0;
    }
    // Escapes first: a secret's own % or \ must not be taken for the start of an escaped one.
    const auto code = static_cast<unsigned char>(c);
    if (text[i] == '%' && hex_at(text, i + 1, 2) == code) {
        return 3;
    }
    if (text[i] == '&' && code < 0x80) {
        if (auto n = html_entity_for(code, text, i)) {
            return n;
        }
    }
    if (text[i] == '\\' && i + 1 < text.size()) {
        const auto rest = text.substr(i);
        const auto letter = json_escape_letter(c);
        if (text[i + 1] == '\\' && code < 0x80) {
            // Escaped twice: the once-escaped form's backslash became \\, and its " or \ got one too.
            if (i + 2 < text.size() && text[i + 2] == 'u' && hex_at(text, i + 3, 4) == code) {
                return 7;
            }
            if ((c == '"' && rest.starts_with("\\\\\\\"")) || (c == '\\' && rest.starts_with("\\\\\\\\")) ||
                (c == '/' && rest.starts_with("\\\\\\/"))) {
                return 4;
            }
            if (letter != 0 && letter != '"' && letter != '\\' && i + 2 < text.size() && text[i + 2] == letter) {
                return 3;
            }
        }
        if (text[i + 1] == 'u' && code < 0x80 && hex_at(text, i + 2, 4) == code) {
            return 6;
        }
        if (letter != 0 && text[i + 1] == letter) {
            return 2;
        }
    }
    return text[i] == c || (text[i] == '+' && c == ' ') ? 1 : 0;
}

bool at_cut(std::string_view text, std::size_t i)
{
    auto rest = text.substr(i);
    return rest.empty() || rest.starts_with("...") || rest.starts_with("\n...");
}

// How many bytes of text at pos spell form (or enough of it before a cut); 0 when none do.
std::size_t match_at(std::string_view form, std::string_view text, std::size_t pos)
{
    auto i = pos;
    for (std::size_t k = 0; k < form.size(); ++k) {
        auto n = bytes_for(form[k], text, i);
        if (n == 0) {
            return k >= Redactor::k_min_secret_length && at_cut(text, i) ? i - pos : 0;
        }
        i += n;
    }
    return i - pos;
}

}  // namespace

void Redactor::add_credential_header(std::string name)
{
    if (!is_credential_header(name)) {
        m_credential_headers.push_back(std::move(name));
    }
}

bool Redactor::is_credential_header(std::string_view name) const
{
    return std::any_of(m_credential_headers.begin(), m_credential_headers.end(),
                       [&](const auto& n) { return iequals(n, name); });
}

bool Redactor::add_secret(std::string secret)
{
    if (secret.size() < k_min_secret_length) {
        return false;
    }
    if (std::find(m_secrets.begin(), m_secrets.end(), secret) != m_secrets.end()) {
        return true;
    }
    for (auto& form : forms_of(secret)) {
        if (std::find(m_forms.begin(), m_forms.end(), form) == m_forms.end()) {
            m_forms.push_back(std::move(form));
        }
    }
    // Longest first, so a secret containing another is replaced whole.
    std::stable_sort(m_forms.begin(), m_forms.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (auto& candidates : m_candidates) {
        candidates.clear();
    }
    for (std::size_t f = 0; f < m_forms.size(); ++f) {
        const char front = m_forms[f].front();
        m_candidates[static_cast<unsigned char>(front)].push_back(f);
        // Escaped, the first character starts with % (URL), \ (JSON), & (HTML) or + (a space,
        // form-encoded).
        for (char escape : std::string_view(front == ' ' ? "%\\&+" : "%\\&")) {
            if (escape != front) {
                m_candidates[static_cast<unsigned char>(escape)].push_back(f);
            }
        }
    }
    m_secrets.push_back(std::move(secret));
    return true;
}

// One pass over the text; at a byte a form can start with, the forms are tried longest first.
std::string Redactor::operator()(std::string_view text) const
{
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t matched = 0;
        for (auto f : m_candidates[static_cast<unsigned char>(text[i])]) {
            if ((matched = match_at(m_forms[f], text, i)) != 0) {
                break;
            }
        }
        if (matched == 0) {
            ++i;
            continue;
        }
        out.append(text, copied, i - copied);
        out += k_redacted;
        i += matched;
        copied = i;
    }
    out.append(text, copied, std::string_view::npos);
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
