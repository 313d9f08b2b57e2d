#include <catch2/catch.hpp>

#include "util/text.hpp"
#include "util/utc_time.hpp"

using namespace conform;

TEST_CASE("text helpers: ASCII case, whitespace trimmed at both ends, lists joined, pointer tokens escaped", "[util]")
{
    CHECK(util::lower("Content-TYPE: Ä") == "content-type: Ä");  // bytes past ASCII stay as they are
    CHECK(util::upper("delete") == "DELETE");
    CHECK(util::trim(" \t application/json \r\n") == "application/json");
    CHECK(util::trim(" \t\r\n").empty());
    CHECK(util::trim("a b") == "a b");
    CHECK(util::join({}, ",").empty());
    CHECK(util::join({"D1"}, ",") == "D1");
    CHECK(util::join({"", "R1", "R2"}, ";") == ";R1;R2");  // an empty first part keeps its separator
    CHECK(util::pointer_token("a/b~c") == "a~1b~0c");
    CHECK(util::pointer_token("/v1.0/{project_id}/asset") == "~1v1.0~1{project_id}~1asset");
}

TEST_CASE("UTC text is read back whole, in the clock's range only", "[util]")
{
    const auto when = std::chrono::system_clock::from_time_t(784111777);
    CHECK(util::parse_utc("19941106T084937Z", "%Y%m%dT%H%M%SZ") == when);
    CHECK(util::format_utc(when, "%a, %d %b %Y %H:%M:%S GMT") == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(util::parse_utc("Sun, 06 Nov 1994 08:49:37 GMT", "%a, %d %b %Y %H:%M:%S GMT") == when);
    CHECK_FALSE(util::parse_utc("19941106T084937Z trailing", "%Y%m%dT%H%M%SZ"));
    CHECK_FALSE(util::parse_utc("40521106T084937Z", "%Y%m%dT%H%M%SZ"));
    CHECK_FALSE(util::parse_utc("yesterday", "%Y%m%dT%H%M%SZ"));
}
