// How go-yaml v2 writes a string (encode.go stringv, then libyaml's emitter:
// yaml_emitter_analyze_scalar, select_scalar_style and the write_* functions),
// so that shift's YAML reads like kubectl's.
#include "doc/scalar.hpp"

namespace shift::doc::scalar {
namespace {

constexpr int kBestWidth = 80;  // go-yaml v2 folds long strings at 80 columns
constexpr int kBestIndent = 2;
constexpr unsigned kInvalid = 0xFFFFFFFF;

struct Char {
    unsigned cp;
    std::size_t len;
};

Char decode(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return {c, 1};
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || c >= 0xF5 || i + len > s.size()) return {kInvalid, 1};
    unsigned cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    for (std::size_t k = 1; k < len; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return {kInvalid, 1};
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    return {cp, len};
}

// libyaml's is_printable as go-yaml has it: no tab, no NEL, nothing past U+FFFF.
bool printable(unsigned cp) {
    return cp == 0x0A || (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF);
}
bool isBreak(unsigned cp) { return cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029; }
bool isBlankz(std::string_view s, std::size_t i) {
    if (i >= s.size()) return true;
    unsigned cp = decode(s, i).cp;
    return cp == ' ' || cp == '\t' || isBreak(cp) || cp == 0;
}

struct Analysis {
    bool multiline = false;
    bool blockPlain = true;
    bool single = true;
    bool block = true;
    bool otherBreaks = false;  // \r, NEL, U+2028/9: a block would not keep them
};

Analysis analyze(std::string_view s) {
    Analysis a;
    if (s.empty()) {
        a.block = false;
        return a;
    }
    bool blockIndicators = s.substr(0, 3) == "---" || s.substr(0, 3) == "...";
    bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
    bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
    bool special = false, lineBreaks = false;
    bool precededByWhitespace = true;
    for (std::size_t i = 0; i < s.size();) {
        Char ch = decode(s, i);
        bool first = i == 0, last = i + ch.len >= s.size();
        bool followedByWhitespace = isBlankz(s, i + ch.len);
        unsigned c = ch.cp;
        if (first) {
            if (c < 0x80 &&
                std::string_view("#,[]{}&*!|>'\"%@`").find(static_cast<char>(c)) != std::string_view::npos)
                blockIndicators = true;
            if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) blockIndicators = true;
        } else {
            if (c == ':' && followedByWhitespace) blockIndicators = true;
            if (c == '#' && precededByWhitespace) blockIndicators = true;
        }
        if (!printable(c)) special = true;
        if (isBreak(c)) {
            lineBreaks = true;
            if (c != '\n') a.otherBreaks = true;
        }
        if (c == ' ') {
            leadingSpace |= first;
            trailingSpace |= last;
            breakSpace |= previousBreak;
            previousSpace = true;
            previousBreak = false;
        } else if (isBreak(c)) {
            leadingBreak |= first;
            trailingBreak |= last;
            spaceBreak |= previousSpace;
            previousBreak = true;
            previousSpace = false;
        } else {
            previousSpace = previousBreak = false;
        }
        precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
        i += ch.len;
    }
    a.multiline = lineBreaks;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false;
    if (trailingSpace) a.block = false;
    if (breakSpace) a.blockPlain = a.single = false;
    if (spaceBreak || special) a.blockPlain = a.single = a.block = false;
    if (lineBreaks || blockIndicators) a.blockPlain = false;
    return a;
}

// Starts a new line at `indent` for a folded string.
void fold(std::string& out, int& column, int indent) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent), ' ');
    column = indent;
}

void writePlainOrSingle(std::string& out, std::string_view s, int column, int indent, bool key, bool single) {
    if (single) out += '\'', ++column;
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
        Char ch = decode(s, i);
        if (ch.cp == ' ') {
            bool inner = !single || (i != 0 && i + 1 != s.size());
            bool nextSpace = i + 1 < s.size() && s[i + 1] == ' ';
            if (!key && !spaces && column > kBestWidth && inner && !nextSpace) {
                fold(out, column, indent);
            } else {
                out += ' ', ++column;
            }
            spaces = true;
        } else {
            if (single && ch.cp == '\'') out += '\'', ++column;
            out.append(s, i, ch.len), ++column;
            spaces = false;
        }
        i += ch.len;
    }
    if (single) out += '\'';
}

void writeDouble(std::string& out, std::string_view s, int column, int indent, bool key) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '"', ++column;
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
        Char ch = decode(s, i);
        unsigned c = ch.cp;
        if (!printable(c) || isBreak(c) || c == '"' || c == '\\') {
            std::string esc = "\\";
            switch (c) {
                case 0x00:
                    esc += '0';
                    break;
                case 0x07:
                    esc += 'a';
                    break;
                case 0x08:
                    esc += 'b';
                    break;
                case 0x09:
                    esc += 't';
                    break;
                case 0x0A:
                    esc += 'n';
                    break;
                case 0x0B:
                    esc += 'v';
                    break;
                case 0x0C:
                    esc += 'f';
                    break;
                case 0x0D:
                    esc += 'r';
                    break;
                case 0x1B:
                    esc += 'e';
                    break;
                case 0x22:
                    esc += '"';
                    break;
                case 0x5C:
                    esc += '\\';
                    break;
                case 0x85:
                    esc += 'N';
                    break;
                case 0x2028:
                    esc += 'L';
                    break;
                case 0x2029:
                    esc += 'P';
                    break;
                default: {
                    // A byte that is not UTF-8 is written as \xNN of that byte.
                    unsigned v = c == kInvalid ? static_cast<unsigned char>(s[i]) : c;
                    int width = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
                    esc += width == 2 ? 'x' : width == 4 ? 'u' : 'U';
                    for (int shift = (width - 1) * 4; shift >= 0; shift -= 4) esc += kHex[(v >> shift) & 0xF];
                }
            }
            out += esc;
            column += static_cast<int>(esc.size());
            spaces = false;
        } else if (c == ' ') {
            if (!key && !spaces && column > kBestWidth && i != 0 && i + 1 != s.size()) {
                fold(out, column, indent);
                // A space right after a fold would be eaten by the fold: escape it.
                if (i + 1 < s.size() && s[i + 1] == ' ') out += '\\', ++column;
            } else {
                out += ' ', ++column;
            }
            spaces = true;
        } else {
            out.append(s, i, ch.len), ++column;
            spaces = false;
        }
        i += ch.len;
    }
    out += '"';
}

void writeLiteral(std::string& out, std::string_view s, int indent) {
    out += '|';
    if (s.front() == ' ' || s.front() == '\n') out += static_cast<char>('0' + kBestIndent);
    if (s.back() != '\n')
        out += '-';
    else if (s.size() == 1 || s[s.size() - 2] == '\n')
        out += '+';
    out += '\n';
    bool lineStart = true;
    for (char c : s) {
        if (c == '\n') {
            out += '\n';
            lineStart = true;
            continue;
        }
        if (lineStart) out.append(static_cast<std::size_t>(indent), ' ');
        out += c;
        lineStart = false;
    }
    if (!lineStart) out += '\n';
}

enum class Style { Plain, Single, Double, Literal };

}  // namespace

void writeYamlString(std::string& out, std::string_view s, int column, int indent, bool key) {
    Style style = Style::Plain;
    // go-yaml quotes (double) a string that would read back as another type.
    if (resolvePlain(s) != ScalarType::String || isBase60Float(s) || looksLikeTimestamp(s)) {
        style = Style::Double;
    } else if (s.find('\n') != std::string_view::npos) {
        style = Style::Literal;
    }
    Analysis a = analyze(s);
    if (key && a.multiline) style = Style::Double;
    if (style == Style::Plain && !a.blockPlain) style = Style::Single;
    if (style == Style::Single && !a.single) style = Style::Double;
    // go-yaml would write \r or U+2028 raw into a block, where a reader turns them
    // into \n; shift double-quotes instead so the string comes back unchanged.
    if (style == Style::Literal && (!a.block || key || a.otherBreaks)) style = Style::Double;
    switch (style) {
        case Style::Plain:
            return writePlainOrSingle(out, s, column, indent, key, false);
        case Style::Single:
            return writePlainOrSingle(out, s, column, indent, key, true);
        case Style::Double:
            return writeDouble(out, s, column, indent, key);
        case Style::Literal:
            return writeLiteral(out, s, indent);
    }
}

}  // namespace shift::doc::scalar
