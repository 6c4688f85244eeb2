#include "core/duration.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "base/text.hpp"

namespace shift::core {

namespace {

// Nanoseconds per unit, longest spellings first so "ms" is not read as "m".
std::optional<double> unitScale(std::string_view text, std::size_t& used) {
    static constexpr struct {
        std::string_view name;
        double ns;
    } kUnits[] = {{"ns", 1},   {"us", 1e3}, {"µs", 1e3}, {"μs", 1e3},
                  {"ms", 1e6}, {"s", 1e9},  {"m", 60e9}, {"h", 3600e9}};
    std::optional<double> best;
    for (const auto& u : kUnits) {
        if (text.substr(0, u.name.size()) == u.name && u.name.size() > used) {
            used = u.name.size();
            best = u.ns;
        }
    }
    return best;
}

// One "1.5h" term: a decimal number and its unit. Returns nanoseconds, or nullopt when malformed.
std::optional<double> term(std::string_view& rest, bool unitRequired) {
    std::size_t i = 0, digits = 0;
    while (i < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[i])) || rest[i] == '.')) {
        digits += rest[i] != '.';
        ++i;
    }
    if (digits == 0) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + i, value, std::chars_format::fixed);
    if (ec != std::errc() || end != rest.data() + i) return std::nullopt;  // "1..5", "."
    rest.remove_prefix(i);
    if (rest.empty() && !unitRequired) return value * 1e9;  // plain number: seconds
    std::size_t used = 0;
    auto scale = unitScale(rest, used);
    if (!scale) return std::nullopt;
    rest.remove_prefix(used);
    return value * *scale;
}

}  // namespace

Result<Duration> parseDuration(std::string_view text, std::string_view flag) {
    auto bad = [&](std::string_view why) {
        return fail(fmt::format("invalid {} \"{}\": {}; use a duration such as 500ms, 30s, 2m, 1h30m or 0",
                                flag, printable(text), why));
    };
    if (text.empty()) return bad("empty");
    if (text.front() == '-') return bad("negative");
    if (text.front() == '+') text.remove_prefix(1);
    if (text == "0") return Duration::zero();
    std::string_view rest = text;
    double total = 0;
    bool first = true;
    while (!rest.empty()) {
        // Only a lone number may go without a unit ("5" is 5s); "1m5" is malformed, as in Go.
        auto ns = term(rest, !first);
        if (!ns) return bad("not a duration");
        total += *ns;
        first = false;
    }
    if (!std::isfinite(total) || total > 9.2e18) return bad("too long");
    return Duration(static_cast<Duration::rep>(std::llround(total)));
}

std::string formatDuration(Duration d) {
    using namespace std::chrono;
    auto ns = d.count();
    if (ns == 0) return "0s";
    if (ns < 1'000) return fmt::format("{}ns", ns);
    if (ns < 1'000'000) return fmt::format("{:g}µs", ns / 1e3);
    if (ns < 1'000'000'000) return fmt::format("{:g}ms", ns / 1e6);
    auto h = duration_cast<hours>(d);
    auto m = duration_cast<minutes>(d - h);
    double s = duration<double>(d - h - m).count();
    std::string out;
    if (h.count()) out += fmt::format("{}h", h.count());
    if (h.count() || m.count()) out += fmt::format("{}m", m.count());
    out += fmt::format("{:g}s", s);
    return out;
}

}  // namespace shift::core
