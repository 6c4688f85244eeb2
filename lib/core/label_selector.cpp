#include "core/label_selector.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace shift::core {

namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// A label name or value: at most 63 characters, alphanumeric at both ends, '-', '_', '.' inside.
bool validName(std::string_view s) {
    if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// PREFIX/NAME: the prefix a DNS subdomain (lowercase), as Kubernetes' qualified names.
bool validKey(std::string_view key) {
    auto slash = key.find('/');
    if (slash == std::string_view::npos) return validName(key);
    auto prefix = key.substr(0, slash);
    bool prefixOk =
        !prefix.empty() && prefix.size() <= 253 && alnum(prefix.front()) && alnum(prefix.back()) &&
        std::all_of(prefix.begin(), prefix.end(), [](char c) {
            return (std::islower(static_cast<unsigned char>(c)) || std::isdigit(c) || c == '-' || c == '.');
        });
    return prefixOk && validName(key.substr(slash + 1));
}

bool special(char c) {
    return c == ',' || c == '(' || c == ')' || c == '!' || c == '=' || c == '<' || c == '>' ||
           std::isspace(static_cast<unsigned char>(c));
}

// A cursor over the text; each token is an identifier or one of , ( ) ! = == != < >.
class Lexer {
   public:
    explicit Lexer(std::string_view text) : s_(text) {}

    std::string_view peek() {
        skipSpace();
        if (pos_ >= s_.size()) return {};
        std::size_t n = tokenLength();
        return s_.substr(pos_, n);
    }
    std::string_view next() {
        auto t = peek();
        pos_ += t.size();
        return t;
    }
    bool atEnd() { return peek().empty(); }

   private:
    void skipSpace() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    std::size_t tokenLength() const {
        char c = s_[pos_];
        bool twoChar = pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' && (c == '=' || c == '!');
        if (twoChar) return 2;
        if (special(c)) return 1;
        std::size_t n = 0;
        while (pos_ + n < s_.size() && !special(s_[pos_ + n])) ++n;
        return n;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

std::string shown(std::string_view token) {
    return token.empty() ? "end of input" : fmt::format("'{}'", token);
}

class Parser {
   public:
    explicit Parser(std::string_view text) : text_(text), lex_(text) {}

    Result<LabelSelector> parse() {
        LabelSelector out;
        if (lex_.atEnd()) return out;
        while (true) {
            auto r = requirement();
            if (!r) return r.error();
            out.requirements.push_back(std::move(*r));
            auto t = lex_.next();
            if (t.empty()) return out;
            if (t != ",") return bad(fmt::format("found {}, expected ',' or end of input", shown(t)));
        }
    }

   private:
    Error bad(const std::string& what) const {
        return fail(fmt::format("invalid selector \"{}\": {}; write e.g. -l 'app=reviews,env in (a,b)'",
                                text_, what));
    }

    Result<std::string> key() {
        auto t = lex_.next();
        if (t.empty() || special(t.front()))
            return bad(fmt::format("found {}, expected a label key", shown(t)));
        if (!validKey(t)) {
            return bad(
                fmt::format("invalid label key \"{}\" (a key is [PREFIX/]NAME, NAME at most 63 "
                            "letters, digits, '-', '_', '.')",
                            t));
        }
        return std::string(t);
    }

    Result<std::string> value(bool mayBeEmpty) {
        auto t = lex_.peek();
        if (t.empty() || special(t.front())) {
            if (mayBeEmpty && (t.empty() || t == ",")) return std::string();
            return bad(fmt::format("found {}, expected a label value", shown(t)));
        }
        lex_.next();
        if (!validName(t)) {
            return bad(
                fmt::format("invalid label value \"{}\" (at most 63 letters, digits, '-', '_', '.', "
                            "beginning and ending with a letter or digit)",
                            t));
        }
        return std::string(t);
    }

    Result<LabelRequirement> requirement() {
        LabelRequirement r;
        if (lex_.peek() == "!") {
            lex_.next();
            auto k = key();
            if (!k) return k.error();
            r.key = std::move(*k);
            r.op = LabelRequirement::Op::DoesNotExist;
            return r;
        }
        auto k = key();
        if (!k) return k.error();
        r.key = std::move(*k);
        auto op = lex_.peek();
        if (op.empty() || op == ",") return r;  // Exists
        lex_.next();
        if (op == "=" || op == "==" || op == "!=") {
            r.op = op == "!=" ? LabelRequirement::Op::NotEquals : LabelRequirement::Op::Equals;
            auto v = value(true);
            if (!v) return v.error();
            r.values.push_back(std::move(*v));
            return r;
        }
        if (op == "in" || op == "notin") {
            r.op = op == "in" ? LabelRequirement::Op::In : LabelRequirement::Op::NotIn;
            if (auto st = valueSet(r); !st) return st.error();
            return r;
        }
        if (op == "<" || op == ">") return bad(fmt::format("'{}' (gt, lt) is not supported by shift", op));
        return bad(
            fmt::format("found {} after \"{}\", expected in, notin, =, ==, != or ','", shown(op), r.key));
    }

    Status valueSet(LabelRequirement& r) {
        if (auto t = lex_.next(); t != "(") return bad(fmt::format("found {}, expected '('", shown(t)));
        while (true) {
            auto v = value(false);
            if (!v) return v.error();
            r.values.push_back(std::move(*v));
            auto t = lex_.next();
            if (t == ")") return okStatus();
            if (t != ",") return bad(fmt::format("found {}, expected ',' or ')'", shown(t)));
        }
    }

    std::string_view text_;
    Lexer lex_;
};

}  // namespace

Result<LabelSelector> parseLabelSelector(std::string_view text) { return Parser(text).parse(); }

bool matches(const LabelSelector& selector, const std::map<std::string, std::string>& labels) {
    using Op = LabelRequirement::Op;
    for (const auto& r : selector.requirements) {
        auto it = labels.find(r.key);
        bool has = it != labels.end();
        bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
        bool ok = false;
        switch (r.op) {
            case Op::Exists:
                ok = has;
                break;
            case Op::DoesNotExist:
                ok = !has;
                break;
            case Op::Equals:
            case Op::In:
                ok = in;
                break;
            // As the API server: a missing label satisfies != and notin.
            case Op::NotEquals:
            case Op::NotIn:
                ok = !in;
                break;
        }
        if (!ok) return false;
    }
    return true;
}

std::string toString(const LabelSelector& selector) {
    using Op = LabelRequirement::Op;
    std::string out;
    for (const auto& r : selector.requirements) {
        if (!out.empty()) out += ",";
        switch (r.op) {
            case Op::Exists:
                out += r.key;
                break;
            case Op::DoesNotExist:
                out += "!" + r.key;
                break;
            case Op::Equals:
                out += r.key + "=" + r.values.at(0);
                break;
            case Op::NotEquals:
                out += r.key + "!=" + r.values.at(0);
                break;
            case Op::In:
            case Op::NotIn:
                out += fmt::format("{} {} ({})", r.key, r.op == Op::In ? "in" : "notin",
                                   fmt::join(r.values, ","));
                break;
        }
    }
    return out;
}

}  // namespace shift::core
