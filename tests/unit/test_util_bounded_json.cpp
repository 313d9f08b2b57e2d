#include <string>

#include <catch2/catch.hpp>

#include "util/bounded_json.hpp"

using conform::util::JsonParseError;
using conform::util::parse_bounded_json;

namespace {

JsonParseError error_of(const std::string& text, std::size_t max_depth = conform::util::k_max_json_depth)
{
    try {
        parse_bounded_json(text, max_depth);
    } catch (const JsonParseError& e) {
        return e;
    }
    FAIL("no JsonParseError for " << text.substr(0, 40));
    return JsonParseError("", 0);
}

}  // namespace

TEST_CASE("bounded JSON: ordinary documents parse as nlohmann would", "[util]")
{
    auto text = R"({"a": [1, {"b": "[[[{{{"}], "c": "\"]"})";
    CHECK(parse_bounded_json(text) == nlohmann::json::parse(text));
}

TEST_CASE("bounded JSON: nesting beyond the limit is refused with the offset, not a stack overflow", "[util]")
{
    auto deep = std::string(1'000'000, '[');
    auto e = error_of(deep);
    CHECK_THAT(e.what(), Catch::Contains("nesting deeper than 64 levels"));
    CHECK(e.byte_offset() == 64);

    CHECK_NOTHROW(parse_bounded_json(std::string(3, '[') + std::string(3, ']'), 3));
    CHECK(error_of("{\"a\":[[1]]}", 2).byte_offset() == 6);
}

TEST_CASE("bounded JSON: brackets inside strings, escaped quotes included, do not count", "[util]")
{
    auto text = "[\"\\\"[[[[[[[[[[\"]";
    CHECK_NOTHROW(parse_bounded_json(text, 1));
}

TEST_CASE("bounded JSON: numbers beyond a double and syntax errors are JsonParseError", "[util]")
{
    auto overflow = error_of("{\"n\": 1e999}");
    CHECK_THAT(overflow.what(), Catch::Contains("1e999"));
    CHECK(overflow.byte_offset() == JsonParseError::k_no_offset);

    auto syntax = error_of("{\"id\": ");
    CHECK_THAT(syntax.what(), Catch::StartsWith("syntax error"));
    CHECK(syntax.byte_offset() == 7);
}
