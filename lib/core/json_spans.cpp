// A small JSON scanner that records byte offsets. It accepts what RFC 8259 allows
// and declines anything else; the file was already read by the real JSON reader.
#include "core/json_spans.hpp"

namespace shift::core::json {

const Span* Span::get(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i] == key) return &items[i];
    }
    return nullptr;
}

namespace {

struct Scanner {
    const std::string& s;
    std::size_t i = 0;
    int depth = 0;

    void blank() {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    }
    // A string's text with the common escapes decoded (keys shift looks for are ASCII).
    std::optional<std::string> string() {
        if (i >= s.size() || s[i] != '"') return std::nullopt;
        std::string out;
        for (++i; i < s.size(); ++i) {
            char c = s[i];
            if (c == '"') {
                ++i;
                return out;
            }
            if (c == '\\') {
                if (++i >= s.size()) return std::nullopt;
                char e = s[i];
                out += e == 'n'   ? '\n'
                       : e == 't' ? '\t'
                       : e == 'r' ? '\r'
                       : e == 'b' ? '\b'
                       : e == 'f' ? '\f'
                                  : e;
                if (e == 'u') out += s.substr(i + 1, 4), i += 4;
            } else {
                out += c;
            }
        }
        return std::nullopt;
    }
    bool members(Span& span) {
        blank();
        if (i < s.size() && s[i] == '}') return ++i, true;
        for (;;) {
            blank();
            span.keyBegins.push_back(i);
            auto key = string();
            if (!key) return false;
            span.keyEnds.push_back(i);
            span.keys.push_back(std::move(*key));
            blank();
            if (i >= s.size() || s[i++] != ':') return false;
            auto v = value();
            if (!v) return false;
            span.items.push_back(std::move(*v));
            blank();
            if (i < s.size() && s[i] == ',') {
                ++i;
                continue;
            }
            return i < s.size() && s[i++] == '}';
        }
    }
    bool elements(Span& span) {
        blank();
        if (i < s.size() && s[i] == ']') return ++i, true;
        for (;;) {
            auto v = value();
            if (!v) return false;
            span.items.push_back(std::move(*v));
            blank();
            if (i < s.size() && s[i] == ',') {
                ++i;
                continue;
            }
            return i < s.size() && s[i++] == ']';
        }
    }
    std::optional<Span> value() {
        blank();
        if (i >= s.size() || depth > 512) return std::nullopt;
        Span span;
        span.begin = i;
        char c = s[i];
        if (c == '{' || c == '[') {
            span.kind = c;
            ++i, ++depth;
            bool ok = c == '{' ? members(span) : elements(span);
            --depth;
            if (!ok) return std::nullopt;
        } else if (c == '"') {
            if (!string()) return std::nullopt;
        } else {
            while (i < s.size() &&
                   std::string_view("+-.0123456789eEtruefalsn").find(s[i]) != std::string_view::npos)
                ++i;
            if (i == span.begin) return std::nullopt;
        }
        span.end = i;
        return span;
    }
};

}  // namespace

std::optional<Span> scan(const std::string& source) {
    Scanner sc{source};
    auto root = sc.value();
    sc.blank();
    if (!root || sc.i != source.size()) return std::nullopt;
    return root;
}

}  // namespace shift::core::json
