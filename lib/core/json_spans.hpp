#pragma once
// Where each value of a JSON text sits, for the JSON in-place editor: a scan of
// the source that keeps byte offsets (nlohmann's SAX reader gives none). Internal to lib/core.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shift::core::json {

struct Span {
    std::size_t begin = 0, end = 0;               // the value's bytes: [begin, end)
    char kind = 's';                              // '{' object, '[' array, 's' anything else
    std::vector<std::string> keys;                // object: decoded keys, in order
    std::vector<std::size_t> keyBegins, keyEnds;  // object: where each key's quoted text sits
    std::vector<Span> items;                      // object values or array elements

    const Span* get(std::string_view key) const;
};

// The spans of a whole JSON text; nullopt when it is not one JSON value.
std::optional<Span> scan(const std::string& source);

}  // namespace shift::core::json
