#pragma once
// Values in a URL's query: label selectors, field managers, continue tokens, PromQL.
#include <string>
#include <string_view>

namespace shift::kube {

// Percent-encoded but for RFC 3986's unreserved characters (letters, digits, - . _ ~), as kubectl and
// curl --data-urlencode send them.
std::string queryValue(std::string_view text);

}  // namespace shift::kube
