#include "prom/queries.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

#include "base/text.hpp"

namespace shift::prom {

namespace {

constexpr const char* kForms =
    "use success-rate>=PERCENT, latency-p50|p90|p95|p99<=DURATION (e.g. 500ms) or 'QUERY>=NUMBER'";

Error badGate(std::string_view text, std::string_view why) {
    return fail(fmt::format("invalid --analysis \"{}\": {}; {}", printable(text), printable(why), kForms));
}

Result<double> parseNumber(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d))
        return fail("not a number");
    return d;
}

struct Split {
    std::string_view left;
    Op op;
    std::string_view right;
};

// The last comparison in the text: a query may hold comparisons of its own.
std::optional<Split> splitComparison(std::string_view text) {
    for (std::size_t i = text.size(); i-- > 0;) {
        char c = text[i];
        if (c != '>' && c != '<' && c != '=') continue;
        std::size_t start = i;
        if (c == '=' && i > 0 && std::string_view("<>=!").find(text[i - 1]) != std::string_view::npos)
            start = i - 1;
        std::string_view op = text.substr(start, i + 1 - start);
        static const std::array<std::pair<std::string_view, Op>, 6> kOps{
            {{">=", Op::Ge}, {">", Op::Gt}, {"<=", Op::Le}, {"<", Op::Lt}, {"==", Op::Eq}, {"!=", Op::Ne}}};
        for (const auto& [t, o] : kOps)
            if (op == t) return Split{text.substr(0, start), o, text.substr(i + 1)};
        return std::nullopt;
    }
    return std::nullopt;
}

std::string selector(const Workload& w, std::string_view extra = {}) {
    std::string s = fmt::format("reporter=\"destination\",destination_workload_namespace={}", quoted(w.ns));
    if (!w.service.empty()) s += fmt::format(",destination_service_name={}", quoted(w.service));
    if (!w.version.empty()) s += fmt::format(",destination_version={}", quoted(w.version));
    if (!extra.empty()) s += fmt::format(",{}", extra);
    return s;
}

}  // namespace

std::string quoted(std::string_view value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string opText(Op op) {
    switch (op) {
        case Op::Ge:
            return ">=";
        case Op::Gt:
            return ">";
        case Op::Le:
            return "<=";
        case Op::Lt:
            return "<";
        case Op::Eq:
            return "==";
        case Op::Ne:
            return "!=";
    }
    return "?";
}

bool holds(Op op, double v, double t) {
    switch (op) {
        case Op::Ge:
            return v >= t;
        case Op::Gt:
            return v > t;
        case Op::Le:
            return v <= t;
        case Op::Lt:
            return v < t;
        case Op::Eq:
            return v == t;
        case Op::Ne:
            return v != t;
    }
    return false;
}

Result<Gate> parseGate(std::string_view text) {
    auto split = splitComparison(text);
    if (!split) return badGate(text, "no comparison (>=, <=, >, <, ==, !=)");
    Gate g;
    g.text = std::string(text);
    g.op = split->op;
    std::string_view left = split->left;
    while (!left.empty() && left.back() == ' ') left.remove_suffix(1);
    if (left.empty()) return badGate(text, "nothing to compare");
    if (left == "success-rate") {
        g.kind = Gate::Kind::SuccessRate;
        std::string_view right = split->right;
        if (!right.empty() && right.back() == '%') right.remove_suffix(1);
        auto n = parseNumber(right);
        if (!n || *n < 0 || *n > 100) return badGate(text, "the success rate is a percentage from 0 to 100");
        g.threshold = *n;
        return g;
    }
    if (left.rfind("latency-", 0) == 0) {
        static const std::array<std::pair<std::string_view, double>, 4> kQuantiles{
            {{"p50", 0.5}, {"p90", 0.9}, {"p95", 0.95}, {"p99", 0.99}}};
        g.kind = Gate::Kind::Latency;
        for (const auto& [name, q] : kQuantiles)
            if (left.substr(8) == name) g.quantile = q;
        if (g.quantile == 0) return badGate(text, "the latency quantiles are p50, p90, p95 and p99");
        std::string_view right = split->right;
        while (!right.empty() && right.front() == ' ') right.remove_prefix(1);
        auto d = core::parseDuration(right, "--analysis");
        if (!d || right.empty() || (right.back() >= '0' && right.back() <= '9'))
            return badGate(text, "the latency limit is a duration with its unit: 500ms, 1s");
        g.threshold = double(d->count()) / 1e6;
        return g;
    }
    auto n = parseNumber(split->right);
    if (!n) return badGate(text, fmt::format("\"{}\" is not a number", split->right));
    g.query = std::string(left);
    g.threshold = *n;
    return g;
}

std::string window(core::Duration d) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    return ms % 1000 == 0 ? fmt::format("{}s", ms / 1000) : fmt::format("{}ms", ms);
}

std::string gateQuery(const Gate& gate, const Workload& w, core::Duration d) {
    const std::string win = window(d);
    switch (gate.kind) {
        case Gate::Kind::SuccessRate:
            return fmt::format(
                "sum(rate(istio_requests_total{{{}}}[{}])) / sum(rate(istio_requests_total{{{}}}[{}])) * 100",
                selector(w, "response_code!~\"5.*\""), win, selector(w), win);
        case Gate::Kind::Latency:
            return fmt::format(
                "histogram_quantile({}, sum(rate(istio_request_duration_milliseconds_bucket{{{}}}[{}])) by "
                "(le))",
                gate.quantile, selector(w), win);
        case Gate::Kind::Custom:
            return gate.query;
    }
    return gate.query;
}

std::string requestCountQuery(const Workload& w, core::Duration d) {
    return fmt::format("sum(increase(istio_requests_total{{{}}}[{}]))", selector(w), window(d));
}

std::string observedSplitQuery(const Service& s, core::Duration d) {
    std::string names = s.names.size() == 1 ? "=" + quoted(s.names[0]) : "";
    if (names.empty()) {
        std::string alternatives;
        for (const auto& n : s.names) alternatives += (alternatives.empty() ? "" : "|") + n;
        names = "=~" + quoted(alternatives);
    }
    return fmt::format(
        "sum by ({}) (rate(istio_requests_total{{reporter=\"source\",destination_service_name{},"
        "destination_service_namespace={}}}[{}]))",
        s.byLabel, names, quoted(s.ns), window(d));
}

}  // namespace shift::prom
