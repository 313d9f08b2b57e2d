// The mutations that only rewrite what passes between the client and the faithful mock: the
// request a handler reads, or the reply it (or the front: routing, quota, authentication) gave.
// They bend the documented behaviour after the fact, so the handlers show it alone. The mutations
// that change state or a decision stay at their decision point, as ctx.on(Mutation::...).
#pragma once

#include "handlers/handlers.hpp"

namespace vod_mock {

// The request operation's handler reads under mutation (request itself where it rewrites none).
conform::http::Request rewritten_request(Mutation mutation, Operation operation, conform::http::Request request);

// The reply the client gets for request under mutation: faithful, as operation's handler gave it,
// rewritten. operation is nullptr for a reply of the front, which only the mutations bending
// every reply rewrite (the content type, the error envelope, 401).
conform::http::Response rewritten_reply(Mutation mutation, Operation operation, const conform::http::Request& request,
                                        conform::http::Response faithful);

}  // namespace vod_mock
