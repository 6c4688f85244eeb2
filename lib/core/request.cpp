#include "core/request.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "base/text.hpp"

namespace shift::core {

namespace {

// "12.5" in thousandths (12500); nullopt when it is not digits with at most three decimals.
// Digits beyond any integer type read as 101 %: out of range, not "not a number".
std::optional<long long> parseMillis(std::string_view text) {
    auto dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    auto digits = [](std::string_view s) {
        return s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (whole.empty() || !digits(whole) || !digits(frac)) return std::nullopt;
    if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
    if (frac.size() > 3) return std::nullopt;
    long long value = 0;
    auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
    if (ec == std::errc::result_out_of_range || value > 1000000) return 101 * kMilli;
    long long f = 0;
    for (std::size_t i = 0; i < 3; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    return value * kMilli + f;
}

bool tooManyDecimals(std::string_view text) {
    auto dot = text.find('.');
    return dot != std::string_view::npos && text.size() - dot - 1 > 3;
}

Result<long long> parseWeight(const std::string& arg, std::string_view text) {
    if (!text.empty() && text.back() == '%') text.remove_suffix(1);
    auto value = parseMillis(text);
    if (!value && text.size() > 1 && text[0] == '-' && parseMillis(text.substr(1))) value = kWhole + 1;
    if (!value && tooManyDecimals(text) && parseMillis(text.substr(0, text.find('.') + 4))) {
        return fail(fmt::format("weight in \"{}\" has more than three decimals; round it, e.g. {}", arg,
                                text.substr(0, text.find('.') + 4)));
    }
    if (!value) {
        return fail(
            fmt::format("weight in \"{}\" is not a number; write KEY=WEIGHT with WEIGHT from 0 to 100 (up to "
                        "three decimals), e.g. v1=50",
                        arg));
    }
    if (*value > kWhole) {  // also a negative weight
        return fail(
            fmt::format("weight in \"{}\" is out of range; a weight is a percentage from 0 to 100", arg));
    }
    return *value;
}

Status checkKey(const std::string& arg, const std::string& key, const std::string& example) {
    if (printable(arg) != arg) {
        return fail(fmt::format("\"{}\" holds a control character; write {}", printable(arg), example));
    }
    if (key.empty() || key.front() == '/' || key.back() == '/') {
        return fail(fmt::format("\"{}\" has no destination name before '='; write e.g. {}", arg, example));
    }
    return okStatus();
}

Status checkTwice(const Request& request, const std::string& key) {
    for (const auto& seen : request.weights) {
        if (seen.key == key)
            return fail(fmt::format("\"{}\" is given twice; list each destination once", key));
    }
    return okStatus();
}

}  // namespace

long long millisOf(const WeightSpec& spec) { return spec.milli.value_or(spec.weight * kMilli); }

Result<Request> parseRequest(const std::vector<std::string>& args) {
    if (args.empty()) {
        return fail(
            "no weights given; name the new split as KEY=WEIGHT, e.g. `kubectl shift reviews v1=50 v3=50`");
    }
    Request request;
    for (const auto& arg : args) {
        if (printable(arg) != arg) {
            return fail(fmt::format("\"{}\" holds a control character; write KEY=WEIGHT, e.g. v1=50",
                                    printable(arg)));
        }
        auto eq = arg.find('=');
        if (eq == std::string::npos) {
            return fail(fmt::format("\"{}\" is not KEY=WEIGHT; write e.g. {}=50", arg, arg));
        }
        std::string key = arg.substr(0, eq);
        if (auto st = checkKey(arg, key, "v1=50"); !st) return st.error();
        auto weight = parseWeight(arg, std::string_view(arg).substr(eq + 1));
        if (!weight) return weight.error();
        if (auto st = checkTwice(request, key); !st) return st.error();
        request.weights.push_back({std::move(key), *weight / kMilli, *weight});
    }
    return request;
}

Result<Request> parseAdjust(const std::vector<std::string>& args) {
    Request request;
    request.mode = RequestMode::Adjust;
    for (const auto& arg : args) {
        auto eq = arg.find('=');
        std::string_view value =
            eq == std::string::npos ? std::string_view() : std::string_view(arg).substr(eq + 1);
        if (eq == std::string::npos || value.empty() || (value[0] != '+' && value[0] != '-')) {
            return fail(fmt::format(
                "--adjust \"{}\" is not KEY=+POINTS or KEY=-POINTS; write e.g. --adjust v3=+10 or --adjust "
                "v3=-5",
                printable(arg)));
        }
        std::string key = arg.substr(0, eq);
        if (auto st = checkKey(arg, key, "--adjust v3=+10"); !st) return st.error();
        bool minus = value[0] == '-';
        value.remove_prefix(1);
        auto points = parseWeight(arg, value);
        if (!points) return fail("--adjust " + points.error().message);
        if (auto st = checkTwice(request, key); !st) return fail("--adjust " + st.error().message);
        long long signedMillis = minus ? -*points : *points;
        request.weights.push_back({std::move(key), signedMillis / kMilli, signedMillis});
    }
    return request;
}

Result<Request> parseEqual(const std::vector<std::string>& keys) {
    Request request;
    request.mode = RequestMode::Equal;
    for (const auto& key : keys) {
        if (auto st = checkKey(key, key, "--equal v1 v2"); !st) return st.error();
        if (key.find('=') != std::string::npos) {
            return fail(fmt::format(
                "--equal takes destination names, not \"{}\"; write e.g. --equal v1 v2 (or --equal alone "
                "for every current destination)",
                key));
        }
        if (auto st = checkTwice(request, key); !st) return st.error();
        request.weights.push_back({key, 0, 0});
    }
    return request;
}

bool isFractional(const Request& request) {
    return std::any_of(request.weights.begin(), request.weights.end(),
                       [](const WeightSpec& w) { return millisOf(w) % kMilli != 0; });
}

std::string percentText(long long milli) {
    std::string sign = milli < 0 ? "-" : "";
    long long v = milli < 0 ? -milli : milli;
    if (v % kMilli == 0) return sign + std::to_string(v / kMilli);
    auto frac = fmt::format("{:03}", v % kMilli);
    while (frac.back() == '0') frac.pop_back();
    return fmt::format("{}{}.{}", sign, v / kMilli, frac);
}

std::string describe(const Request& request) {
    std::string out;
    for (const auto& w : request.weights) {
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={}", w.key, percentText(millisOf(w)));
    }
    return out;
}

}  // namespace shift::core
