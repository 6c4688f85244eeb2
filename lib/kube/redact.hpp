#pragma once
// Keeping secrets out of what shift prints: URLs (errors, -v lines), HTTP headers (-vv) and bodies
// (-vvv). What is hidden reads "xxxxx", as Go's url.URL.Redacted() writes a password.
#include <string>
#include <string_view>

namespace shift::kube {

inline constexpr const char* kRedacted = "xxxxx";

// The URL with its userinfo (user:password@ or token@) and the values of secret-looking query
// parameters (access_token=, token=, password=, sig=, ...) replaced.
std::string redactUrl(std::string_view url);

// A header's value as -vv may print it: Authorization, Proxy-Authorization, Cookie, Set-Cookie
// and every Impersonate-* header are replaced.
std::string redactHeader(std::string_view name, std::string_view value);

// A JSON body as -vvv may print it: the data and stringData of any Secret, and any field named like
// a token, password or key, replaced. A body that is not JSON prints as its size only: it could
// hold anything.
std::string redactBody(std::string_view body);

}  // namespace shift::kube
