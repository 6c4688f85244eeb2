#include "doc/emit.hpp"
#include "doc/scalar.hpp"

namespace shift::doc {
namespace {

// Go's encoding/json escaping, which kubectl's output shows: HTML-safe (<, >, & as
// \u003c...), U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD.
void writeString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
                case '"':
                    out += "\\\"";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\b':
                    out += "\\b";
                    break;
                case '\f':
                    out += "\\f";
                    break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        out += "\\u00";
                        out += kHex[c >> 4];
                        out += kHex[c & 0xF];
                    } else {
                        out += static_cast<char>(c);
                    }
            }
            ++i;
            continue;
        }
        // Validate one UTF-8 sequence.
        std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        unsigned cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
        bool valid = len > 0 && c < 0xF5 && i + len <= s.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            valid = (cc & 0xC0) == 0x80;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (valid) {
            unsigned min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
            valid = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (!valid) {
            out += "\\ufffd";
            ++i;
        } else if (cp == 0x2028 || cp == 0x2029) {
            out += cp == 0x2028 ? "\\u2028" : "\\u2029";
            i += len;
        } else {
            out.append(s, i, len);
            i += len;
        }
    }
    out += '"';
}

void writeScalar(std::string& out, const Node& n) {
    if (n.quoted) return writeString(out, n.scalar);
    switch (resolvePlain(n.scalar)) {
        case ScalarType::Null:
            out += "null";
            return;
        case ScalarType::Bool:
            out += scalar::isTrue(n.scalar) ? "true" : "false";
            return;
        case ScalarType::Int:
        case ScalarType::Float:
            if (auto number = scalar::jsonNumber(n.scalar)) {
                out += *number;
                return;
            }
            break;
        case ScalarType::String:
            break;
    }
    writeString(out, n.scalar);
}

void newline(std::string& out, int indent, int level) {
    if (indent <= 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * level), ' ');
}

void writeNode(std::string& out, const Node& n, int indent, int level) {
    switch (n.kind) {
        case Kind::Null:
            out += "null";
            return;
        case Kind::Scalar:
            writeScalar(out, n);
            return;
        case Kind::Map:
        case Kind::Seq:
            break;
    }
    bool map = n.isMap();
    if (n.items.empty()) {
        out += map ? "{}" : "[]";
        return;
    }
    out += map ? '{' : '[';
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ',';
        newline(out, indent, level + 1);
        if (map) {
            writeString(out, i < n.keys.size() ? std::string_view(n.keys[i]) : std::string_view());
            out += indent > 0 ? ": " : ":";
        }
        writeNode(out, n.items[i], indent, level + 1);
    }
    newline(out, indent, level);
    out += map ? '}' : ']';
}

}  // namespace

std::string toJson(const Node& node, int indent) {
    std::string out;
    writeNode(out, node, indent, 0);
    return out;
}

}  // namespace shift::doc
