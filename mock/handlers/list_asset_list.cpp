// ListAssetList, GET /v1.0/{project_id}/asset/list (vod_04_0203): the read-only state query the
// suite checks its premises and finds its leftovers with. Filters: asset_id (at most 10, repeated
// or comma-separated), status (any of the four statuses), start_time/end_time (yyyymmddhhmmss
// UTC, on create_time), category_id, tags (every tag given), query_string (title, description,
// category), media_type; then order (by create_time, desc unless asc), page and size.
#include <algorithm>
#include <charconv>
#include <set>

#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

namespace {

constexpr std::size_t k_max_media_types = 20;
constexpr long long k_max_listed = 20000;  // (page + 1) * size

const std::set<std::string>& statuses()
{
    static const std::set<std::string> k_all = {"CREATING",          "FAILED",
                                                "CREATED",           "PUBLISHED",
                                                "WAITING_TRANSCODE", "TRANSCODING",
                                                "TRANSCODE_SUCCEED", "TRANSCODE_FAILED",
                                                "THUMBNAILING",      "THUMBNAIL_SUCCEED",
                                                "THUMBNAIL_FAILED",  "UN_REVIEW",
                                                "REVIEWING",         "REVIEW_SUSPICIOUS",
                                                "REVIEW_PASSED",     "REVIEW_FAILED",
                                                "REVIEW_BLOCKED"};
    return k_all;
}

std::optional<long long> whole_number(std::string_view text)
{
    long long value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return ec == std::errc() && ptr == end && !text.empty() ? std::optional<long long>(value) : std::nullopt;
}

bool is_utc_time(std::string_view text)
{
    return text.size() == 14 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The query, checked; the name of the first bad parameter otherwise.
struct Query {
    std::vector<std::string> ids, statuses, tags, media_types;
    std::optional<std::string> start_time, end_time, query_string;
    std::optional<long long> category_id;
    long long page = 0, size = 10;
    bool ascending = false;
};

std::variant<Query, std::string> read_query(const conform::http::Request& request)
{
    Query q;
    const auto ids = query_values(request, "asset_id");
    q.ids = id_list(ids);
    if ((!ids.empty() && q.ids.empty()) || q.ids.size() > k_max_ids_per_call) {
        return std::string("asset_id");
    }
    q.statuses = id_list(query_values(request, "status"));
    if (!std::all_of(q.statuses.begin(), q.statuses.end(), [](const auto& s) { return statuses().count(s) > 0; })) {
        return std::string("status");
    }
    q.media_types = id_list(query_values(request, "media_type"));
    if (q.media_types.size() > k_max_media_types) {
        return std::string("media_type");
    }
    // A parameter given once; given twice, or malformed, it is refused.
    auto single = [&](const char* name) -> std::variant<std::optional<std::string>, std::string> {
        const auto values = query_values(request, name);
        if (values.size() > 1) {
            return std::string(name);
        }
        return values.empty() ? std::optional<std::string>() : std::optional<std::string>(values.front());
    };
    struct Single {
        const char* name;
        std::optional<std::string>* into;
    };
    std::optional<std::string> tags, category, page, size, order;
    for (auto [name, into] :
         {Single{"start_time", &q.start_time}, Single{"end_time", &q.end_time}, Single{"query_string", &q.query_string},
          Single{"tags", &tags}, Single{"category_id", &category}, Single{"page", &page}, Single{"size", &size},
          Single{"order", &order}}) {
        auto value = single(name);
        if (auto* bad = std::get_if<std::string>(&value)) {
            return *bad;
        }
        *into = std::get<std::optional<std::string>>(value);
    }
    for (auto [name, time] : {std::pair{"start_time", &q.start_time}, std::pair{"end_time", &q.end_time}}) {
        if (*time && !is_utc_time(**time)) {
            return std::string(name);
        }
    }
    if (tags) {
        q.tags = id_list({*tags});
        if (q.tags.empty() || !within_tag_limits(q.tags)) {
            return std::string("tags");
        }
    }
    if (category) {
        q.category_id = whole_number(*category);
        if (!q.category_id) {
            return std::string("category_id");
        }
    }
    if (page) {
        auto n = whole_number(*page);
        if (!n || *n < 0 || *n >= k_max_listed) {
            return std::string("page");
        }
        q.page = *n;
    }
    if (size) {
        auto n = whole_number(*size);
        if (!n || *n < 1 || *n > 100) {
            return std::string("size");
        }
        q.size = *n;
    }
    if ((q.page + 1) * q.size > k_max_listed) {
        return std::string("page");
    }
    if (order && *order != "asc" && *order != "desc") {
        return std::string("order");
    }
    q.ascending = order && *order == "asc";
    return q;
}

bool matches(const Query& q, const Asset& asset, const nlohmann::json& summary)
{
    auto in = [](const std::vector<std::string>& list, const std::string& value) {
        return std::find(list.begin(), list.end(), value) != list.end();
    };
    const auto& info = asset.base_info;
    const auto created = summary["create_time"].get<std::string>();
    auto contains = [&](const char* field) { return info.value(field, "").find(*q.query_string) != std::string::npos; };
    return (q.ids.empty() || in(q.ids, asset.id)) &&
           (q.statuses.empty() || std::any_of(q.statuses.begin(), q.statuses.end(),
                                              [&](const std::string& s) {
                                                  return summary["asset_status"] == s ||
                                                         summary["transcode_status"] == s ||
                                                         summary["thumbnail_status"] == s ||
                                                         summary["review_status"] == s;
                                              })) &&
           (!q.start_time || created >= *q.start_time) && (!q.end_time || created <= *q.end_time) &&
           (!q.category_id || info.value("category_id", 0LL) == *q.category_id) &&
           std::all_of(q.tags.begin(), q.tags.end(), [&](const std::string& t) { return asset.has_tag(t); }) &&
           (!q.query_string || contains("title") || contains("description") || contains("category_name")) &&
           (q.media_types.empty() || in(q.media_types, info.value("video_type", "")));
}

}  // namespace

conform::http::Response list_asset_list(const Context& ctx, const conform::http::Request& request)
{
    auto read = read_query(request);
    if (auto* bad = std::get_if<std::string>(&read)) {
        return illegal_parameter(*bad);
    }
    const auto& q = std::get<Query>(read);
    auto listed = ctx.store.transact([&](Assets& assets) {
        std::vector<nlohmann::json> out;
        for (const auto& [id, asset] : assets) {
            auto summary = asset.summary(ctx.on(Mutation::list_lies_about_state));
            if (matches(q, asset, summary)) {
                out.push_back(std::move(summary));
            }
        }
        return out;
    });
    std::sort(listed.begin(), listed.end(), [&](const nlohmann::json& a, const nlohmann::json& b) {
        const auto key_a =
            std::tie(a["create_time"].get_ref<const std::string&>(), a["asset_id"].get_ref<const std::string&>());
        const auto key_b =
            std::tie(b["create_time"].get_ref<const std::string&>(), b["asset_id"].get_ref<const std::string&>());
        return q.ascending ? key_a < key_b : key_b < key_a;
    });
    const auto total = static_cast<long long>(listed.size());
    auto page = nlohmann::json::array();
    for (auto i = q.page * q.size; i < std::min(total, (q.page + 1) * q.size); ++i) {
        page.push_back(std::move(listed[static_cast<std::size_t>(i)]));
    }
    return json_reply(200, {{"total", std::min(total, k_max_listed)}, {"assets", page}});
}

}  // namespace vod_mock::handlers
