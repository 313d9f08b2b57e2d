#include <catch2/catch.hpp>

#include "encodings.hpp"
#include "http/redact.hpp"

using namespace conform::http;

TEST_CASE("redactor replaces every secret and masks credential headers whatever their value", "[redact]")
{
    Redactor r;
    r.add_credential_header("X-Auth-Token");  // a contract's token header (Authorization is built in)
    CHECK(r.add_secret("SECRETKEY123"));
    CHECK(r.add_secret("SECRETKEY123456"));  // contains the first: replaced whole
    CHECK_FALSE(r.add_secret("abcdefg"));    // too short to replace safely inside text
    CHECK(r("x SECRETKEY123456 y SECRETKEY123 abcdefg") == "x *** y *** abcdefg");

    Headers h;
    h.add("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc");
    h.add("x-auth-token", "t");
    h.add("X-Echo", "SECRETKEY123");
    auto masked = r.headers(h);
    CHECK(*masked.get("Authorization") == "***");
    CHECK(*masked.get("X-Auth-Token") == "***");
    CHECK(*masked.get("X-Echo") == "***");
}

TEST_CASE("redactor masks a secret echoed URL-encoded, base64, hex, JSON-escaped (once or twice) or as HTML references",
          "[redact]")
{
    // Characters each encoding treats specially: + / = space " \ and a control character.
    const std::string secret = "Tk+/=a b\"c\\d\x01-MIIE/x+y";
    Redactor r;
    REQUIRE(r.add_secret(secret));
    for (const auto& [name, form] : encodings::all(secret)) {
        INFO(name << ": " << form);
        CHECK(r("before " + form + " after") == "before *** after");
        CHECK(r("{\"echo\":\"" + form + "\"}") == "{\"echo\":\"***\"}");
    }
}

TEST_CASE("redactor masks a secret's base64 inside longer base64 text, at every alignment", "[redact]")
{
    const std::string secret = "tok-0123456789abcdefXYZ";
    Redactor r;
    REQUIRE(r.add_secret(secret));
    for (std::size_t before = 0; before < 3; ++before) {
        for (std::size_t after = 0; after < 3; ++after) {
            for (bool url : {false, true}) {
                auto text = encodings::base64(std::string(before, '\xfb') + secret + std::string(after, '\xff'), url);
                INFO(before << " byte(s) before, " << after << " after, url " << url << ": " << text);
                auto masked = r(text);
                // What stays is at most the 3 characters each side that mix in neighbouring bytes, and padding.
                CHECK(masked.find("***") != std::string::npos);
                CHECK(masked.size() <= 3 + 3 + 3 + 2);
            }
        }
    }
}

TEST_CASE("redactor masks a secret cut short by a message or a recorded body", "[redact]")
{
    Redactor r;
    REQUIRE(r.add_secret("0123456789abcdefghij"));
    CHECK(r("token \"0123456789ab...") == "token \"***...");
    CHECK(r("{\"t\":\"0123456789abcde\n... (42 more bytes)") == "{\"t\":\"***\n... (42 more bytes)");
    CHECK(r("ends with 0123456789") == "ends with ***");
    // Short of the minimum, or not at a cut: ordinary text.
    CHECK(r("0123456...") == "0123456...");
    CHECK(r("0123456789abc and more") == "0123456789abc and more");
}

TEST_CASE("redactor leaves text without secrets as it is", "[redact]")
{
    Redactor r;
    REQUIRE(r.add_secret("not-in-this-text-0001"));
    const std::string text = R"({"a":"%2B%2F \u0041\/ 0123 deadbeef QUJD+/=="}...)";
    CHECK(r(text) == text);
    CHECK(Redactor{}(text) == text);
}
