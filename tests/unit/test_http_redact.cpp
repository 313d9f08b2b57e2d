#include <catch2/catch.hpp>

#include "http/redact.hpp"

using namespace conform::http;

TEST_CASE("redactor replaces every secret and masks credential headers whatever their value", "[redact]")
{
    Redactor r;
    r.add_secret("SECRETKEY123");
    r.add_secret("SECRETKEY123456");  // contains the first: replaced whole
    r.add_secret("ab");               // too short to replace safely inside text
    CHECK(r("x SECRETKEY123456 y SECRETKEY123 ab") == "x *** y *** ab");

    Headers h;
    h.add("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc");
    h.add("x-auth-token", "t");
    h.add("X-Echo", "SECRETKEY123");
    auto masked = r.headers(h);
    CHECK(*masked.get("Authorization") == "***");
    CHECK(*masked.get("X-Auth-Token") == "***");
    CHECK(*masked.get("X-Echo") == "***");
}
