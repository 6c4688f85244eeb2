// Plain scalar resolution as go-yaml v2 does it (resolve.go), because kubectl reads
// manifests through sigs.k8s.io/yaml, which sits on go-yaml v2 with YAML 1.1 rules.
#include "doc/scalar.hpp"

#include <array>
#include <limits>

namespace shift::doc {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<std::string_view, 11> kTrue = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                                    "True", "TRUE", "on",  "On",  "ON"};
constexpr std::array<std::string_view, 11> kFalse = {"n",     "N",     "no",  "No",  "NO", "false",
                                                     "False", "FALSE", "off", "Off", "OFF"};
constexpr std::array<std::string_view, 4> kNull = {"~", "null", "Null", "NULL"};
constexpr std::array<std::string_view, 12> kSpecialFloat = {
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};

template <std::size_t N>
bool oneOf(std::string_view s, const std::array<std::string_view, N>& list) {
    for (std::string_view x : list) {
        if (s == x) return true;
    }
    return false;
}

int digitValue(char c) {
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

// Go's strconv.ParseUint(s, 0, 64): 0x, 0o, 0b prefixes and a leading 0 for octal.
std::optional<unsigned long long> parseUnsigned(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int base = 10;
    if (s[0] == '0') {
        char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
        if (p == 'b')
            base = 2, s.remove_prefix(2);
        else if (p == 'o')
            base = 8, s.remove_prefix(2);
        else if (p == 'x')
            base = 16, s.remove_prefix(2);
        else
            base = 8, s.remove_prefix(1);
    }
    unsigned long long v = 0;
    const unsigned long long max = std::numeric_limits<unsigned long long>::max();
    for (char c : s) {
        int d = digitValue(c);
        if (d >= base) return std::nullopt;
        if (v > (max - static_cast<unsigned>(d)) / static_cast<unsigned>(base)) return std::nullopt;
        v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    }
    return v;
}

std::string withoutUnderscores(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c != '_') out += c;
    }
    return out;
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool isYamlFloat(std::string_view s) {
    std::size_t i = 0, n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t intStart = i;
    while (i < n && isDigit(s[i])) ++i;
    if (i == intStart) {
        if (i >= n || s[i] != '.') return false;
        std::size_t fracStart = ++i;
        while (i < n && isDigit(s[i])) ++i;
        if (i == fracStart) return false;
    } else if (i < n && s[i] == '.') {
        ++i;
        while (i < n && isDigit(s[i])) ++i;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t expStart = i;
        while (i < n && isDigit(s[i])) ++i;
        if (i == expStart) return false;
    }
    return i == n;
}

// Up to `max` digits (at least one) as a number; advances pos.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t min, std::size_t max) {
    std::size_t start = pos;
    int v = 0;
    while (pos < s.size() && pos - start < max && isDigit(s[pos])) v = v * 10 + (s[pos++] - '0');
    if (pos - start < min) return std::nullopt;
    return v;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

int daysIn(int month, int year) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

ScalarType resolvePlain(std::string_view text) {
    if (text.empty()) return ScalarType::Null;
    char c = text[0];
    // go-yaml looks a scalar up by its first character; anything else is a string.
    if (std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos) {
        if (oneOf(text, kTrue) || oneOf(text, kFalse)) return ScalarType::Bool;
        if (oneOf(text, kNull)) return ScalarType::Null;
        return ScalarType::String;
    }
    if (oneOf(text, kSpecialFloat)) return ScalarType::Float;
    if (c == '.') {
        // strconv.ParseFloat on ".5", ".5e3"; no integer part to strip.
        return text.size() > 1 && isDigit(text[1]) && isYamlFloat(text) ? ScalarType::Float
                                                                        : ScalarType::String;
    }
    if (!isDigit(c) && c != '+' && c != '-') return ScalarType::String;
    std::string plain = withoutUnderscores(text);
    scalar::IntValue v = scalar::parseInt(plain);
    if (v.signedValue || v.unsignedValue) return ScalarType::Int;
    if (isYamlFloat(plain)) return ScalarType::Float;
    return ScalarType::String;
}

namespace scalar {

IntValue parseInt(std::string_view text) {
    std::string s = withoutUnderscores(text);
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        negative = body[0] == '-';
        body.remove_prefix(1);
    }
    IntValue out;
    std::optional<unsigned long long> u = parseUnsigned(body);
    if (!u) return out;
    constexpr unsigned long long kCut = 1ULL << 63;
    if (negative) {
        if (*u <= kCut)
            out.signedValue =
                *u == kCut ? std::numeric_limits<long long>::min() : -static_cast<long long>(*u);
    } else if (*u < kCut) {
        out.signedValue = static_cast<long long>(*u);
    } else if (s[0] != '+') {  // ParseUint takes no sign
        out.unsignedValue = *u;
    }
    return out;
}

std::optional<std::string> jsonNumber(std::string_view text) {
    ScalarType type = resolvePlain(text);
    if (type == ScalarType::Int) {
        IntValue v = parseInt(text);
        return v.signedValue ? std::to_string(*v.signedValue) : std::to_string(*v.unsignedValue);
    }
    if (type != ScalarType::Float || oneOf(text, kSpecialFloat)) return std::nullopt;
    std::string s = withoutUnderscores(text);
    std::string out;
    std::size_t i = 0;
    if (s[i] == '+' || s[i] == '-') {
        if (s[i] == '-') out += '-';
        ++i;
    }
    std::size_t intStart = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    std::string_view intPart = std::string_view(s).substr(intStart, i - intStart);
    while (intPart.size() > 1 && intPart[0] == '0') intPart.remove_prefix(1);  // JSON has no leading zeros
    out += intPart.empty() ? "0" : intPart;
    if (i < s.size() && s[i] == '.') {
        std::size_t fracStart = ++i;
        while (i < s.size() && isDigit(s[i])) ++i;
        out += '.';
        out += i == fracStart ? std::string_view("0") : std::string_view(s).substr(fracStart, i - fracStart);
    }
    out += std::string_view(s).substr(i);  // exponent, valid JSON as written
    return out;
}

bool isTrue(std::string_view text) { return oneOf(text, kTrue); }
bool isFalse(std::string_view text) { return oneOf(text, kFalse); }

// The layouts go-yaml v2 tries: 2006-1-2, 2006-1-2 15:4:5.999999999 and
// 2006-1-2T15:4:5.999999999Z07:00 (T or t).
bool looksLikeTimestamp(std::string_view s) {
    std::size_t pos = 0;
    auto year = digits(s, pos, 4, 4);
    if (!year || !expect(s, pos, '-')) return false;
    auto month = digits(s, pos, 1, 2);
    if (!month || *month < 1 || *month > 12 || !expect(s, pos, '-')) return false;
    auto day = digits(s, pos, 1, 2);
    if (!day || *day < 1 || *day > daysIn(*month, *year)) return false;
    if (pos == s.size()) return true;
    char sep = s[pos++];
    if (sep != 'T' && sep != 't' && sep != ' ') return false;
    auto hour = digits(s, pos, 1, 2);
    if (!hour || *hour > 23 || !expect(s, pos, ':')) return false;
    auto minute = digits(s, pos, 1, 2);
    if (!minute || *minute > 59 || !expect(s, pos, ':')) return false;
    auto second = digits(s, pos, 1, 2);
    if (!second || *second > 59) return false;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        if (!digits(s, pos, 1, 64)) return false;
    }
    if (sep == ' ') return pos == s.size();
    if (pos < s.size() && s[pos] == 'Z') return pos + 1 == s.size();
    if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return false;
    ++pos;
    auto zh = digits(s, pos, 2, 2);
    if (!zh || !expect(s, pos, ':')) return false;
    auto zm = digits(s, pos, 2, 2);
    return zm && pos == s.size();
}

// ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool isBase60Float(std::string_view s) {
    std::size_t i = 0, n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !isDigit(s[i])) return false;
    while (i < n && (isDigit(s[i]) || s[i] == '_')) ++i;
    int groups = 0;
    while (i < n && s[i] == ':') {
        ++i;
        if (i < n && s[i] >= '0' && s[i] <= '5' && i + 1 < n && isDigit(s[i + 1]))
            i += 2;
        else if (i < n && isDigit(s[i]))
            ++i;
        else
            return false;
        ++groups;
    }
    if (groups == 0) return false;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && (isDigit(s[i]) || s[i] == '_')) ++i;
    }
    return i == n;
}

}  // namespace scalar
}  // namespace shift::doc
