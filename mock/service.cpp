#include "service.hpp"

#include <array>

#include <fmt/format.h>

#include "handlers/handlers.hpp"
#include "rewrites.hpp"
#include "util/random_id.hpp"

namespace vod_mock {

using conform::http::Request;
using conform::http::Response;

namespace {

// The gateway's quota categories (vod_04_0042): management and processing (100 calls a minute
// per tenant), and upload and queries (1,500).
enum class Category { manage, upload_or_query };

struct Route {
    const char* method;
    const char* suffix;  // after /v1.0/{project_id}
    Operation handler;
    Category category = Category::manage;
};

constexpr std::array<Route, 11> k_routes = {{
    {"POST", "/asset/status/unpublish", handlers::unpublish_assets},
    {"DELETE", "/asset", handlers::delete_assets},
    {"DELETE", "/asset/process", handlers::cancel_asset_transcode_task},
    {"DELETE", "/asset/extract_audio", handlers::cancel_extract_audio_task},
    {"POST", "/asset/status/uploaded", handlers::confirm_asset_upload, Category::upload_or_query},
    {"GET", "/asset/list", handlers::list_asset_list, Category::upload_or_query},
    {"POST", "/asset", handlers::create_asset_by_file_upload, Category::upload_or_query},
    {"POST", "/asset/status/publish", handlers::publish_assets},
    {"POST", "/asset/process", handlers::create_asset_process_task},
    {"POST", "/asset/extract_audio", handlers::create_extract_audio_task},
    {"POST", "/asset/review", handlers::create_asset_review_task},
}};

constexpr std::string_view k_prefix = "/v1.0/";
constexpr std::chrono::minutes k_max_clock_skew{15};

// The project of a /v1.0/{project_id}/... path; nothing for any other path.
std::optional<std::string> project_of(const std::string& path)
{
    const auto slash = path.starts_with(k_prefix) ? path.find('/', k_prefix.size()) : std::string::npos;
    return slash == std::string::npos
               ? std::nullopt
               : std::optional<std::string>(path.substr(k_prefix.size(), slash - k_prefix.size()));
}

}  // namespace

Response json_reply(int status, const nlohmann::json& body)
{
    Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json;charset=UTF-8");
    // Ids echoed from the query string may hold invalid UTF-8: replace it, never throw.
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Response error_reply(int status, const std::string& code, const std::string& message)
{
    return json_reply(status, {{"error_code", code}, {"error_msg", message}});
}

Response empty_reply(int status)
{
    Response r;
    r.status = status;
    return r;
}

Response illegal_parameter(const std::string& field)
{
    return error_reply(400, "VOD.10053", "The request parameter is illegal, illegal field: " + field + ".");
}

Service::Service(Config config, AssetStore& store) : m_config(std::move(config)), m_store(store) {}

std::optional<std::string> Service::authentication_problem(const Request& request) const
{
    if (m_config.mutation == Mutation::auth_not_enforced) {
        return std::nullopt;
    }
    auto token = request.headers.get("X-Auth-Token");
    auto authorization = request.headers.get("Authorization");
    if (m_config.mutation == Mutation::auth_any_token && ((token && !token->empty()) || authorization)) {
        return std::nullopt;
    }
    if (m_config.token) {
        if (!token) {
            return "x-auth-token not found";
        }
        if (*token != *m_config.token) {
            return "decrypt token fail";
        }
        return std::nullopt;
    }
    if (m_config.aksk) {
        const auto verify = [this](const Request& r) {
            const auto skew =
                m_config.mutation == Mutation::aksk_stale_date_accepted ? std::chrono::hours(24) : k_max_clock_skew;
            conform::http::verify_signature(
                r,
                [this](std::string_view ak) -> std::optional<std::string> {
                    return ak == m_config.aksk->access_key ? std::optional<std::string>(m_config.aksk->secret_key)
                                                           : std::nullopt;
                },
                conform::http::Clock::now(), skew);
        };
        try {
            verify(request);
        } catch (const conform::http::SignatureError& e) {
            // The verifier's mutations: a second try on the request as the bent verifier sees it.
            auto seen = request;
            if (m_config.mutation == Mutation::aksk_body_not_signed) {
                seen.body.clear();
            } else if (m_config.mutation == Mutation::aksk_project_header_not_signed &&
                       seen.headers.contains("X-Project-Id")) {
                seen.headers.set("X-Project-Id", project_of(request.path).value_or(""));
            } else {
                return e.what();
            }
            try {
                verify(seen);
            } catch (const conform::http::SignatureError&) {
                return e.what();
            }
        }
    }
    return std::nullopt;
}

Response Service::handle(const Request& request) const
{
    auto [reply, operation] = faithful_answer(request);
    return rewritten_reply(m_config.mutation, operation, request, std::move(reply));
}

Response Service::front_error(int status, const std::string& code, const std::string& message) const
{
    return rewritten_reply(m_config.mutation, nullptr, Request{}, error_reply(status, code, message));
}

Service::Answer Service::faithful_answer(const Request& request) const
{
    handlers::Context ctx{m_config, m_store};
    const auto operate = [&](Operation handler) {
        return Answer{handler(ctx, rewritten_request(m_config.mutation, handler, request)), handler};
    };
    const std::string& path = request.path;
    if (path.starts_with(handlers::k_upload_prefix)) {
        return operate(handlers::upload_file);
    }
    const auto project = project_of(path);
    const Route* route = nullptr;
    if (project) {
        auto suffix = path.substr(k_prefix.size() + project->size());
        if (suffix.size() > 1 && suffix.back() == '/') {
            suffix.pop_back();
        }
        for (const auto& r : k_routes) {
            if (suffix == r.suffix && request.method == r.method) {
                route = &r;
            }
        }
    }
    // The gateway's answer, before anything else; unknown APIs count in the main window.
    auto* quota = m_config.quota.window(route && route->category == Category::upload_or_query);
    if (quota && !quota->admit()) {
        // It documents no Retry-After.
        return {
            json_reply(429, {{"error_code", "APIGW.0308"},
                             {"error_msg", fmt::format("The throttling threshold has been reached: policy user over "
                                                       "ratelimit, limit:{},time:{} second",
                                                       quota->requests(), quota->window_seconds())},
                             {"request_id", conform::util::random_id()}})};
    }
    if (!route) {
        return {error_reply(404, "APIGW.0101", "The API does not exist or has not been published in the environment.")};
    }
    const auto& project_id = *project;

    if (auto problem = authentication_problem(request)) {
        if (ctx.on(Mutation::delete_before_auth) && route->handler == handlers::delete_assets) {
            route->handler(ctx, request);
        }
        return {error_reply(401, "APIGW.0301", "Incorrect IAM authentication information: " + *problem)};
    }
    if (project_id != m_config.project_id) {
        return {error_reply(403, "VOD.10054",
                            "Identity authentication failed: project " + project_id + " is not this account's.")};
    }
    return operate(route->handler);
}

}  // namespace vod_mock
