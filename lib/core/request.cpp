#include "core/request.hpp"

#include <fmt/format.h>

#include <charconv>

#include "base/text.hpp"

namespace shift::core {

namespace {

Result<long long> parseWeight(const std::string& arg, std::string_view text) {
    if (!text.empty() && text.back() == '%') text.remove_suffix(1);
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    // Digits beyond any integer type are still a number: out of range, not "not an integer".
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
    if (ec == std::errc::result_out_of_range && digits) {
        value = 101;
    } else if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return fail(
            fmt::format("weight in \"{}\" is not an integer; write KEY=WEIGHT with WEIGHT from 0 to 100, "
                        "e.g. v1=50",
                        arg));
    }
    if (value < 0 || value > 100) {
        return fail(
            fmt::format("weight in \"{}\" is out of range; a weight is a percentage from 0 to 100", arg));
    }
    return value;
}

}  // namespace

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
        if (key.empty() || key.front() == '/' || key.back() == '/') {
            return fail(fmt::format("\"{}\" has no destination name before '='; write e.g. v1=50", arg));
        }
        auto weight = parseWeight(arg, std::string_view(arg).substr(eq + 1));
        if (!weight) return weight.error();
        for (const auto& seen : request.weights) {
            if (seen.key == key) {
                return fail(fmt::format("\"{}\" is given twice; list each destination once", key));
            }
        }
        request.weights.push_back({std::move(key), *weight});
    }
    return request;
}

std::string describe(const Request& request) {
    std::string out;
    for (const auto& w : request.weights) {
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={}", w.key, w.weight);
    }
    return out;
}

}  // namespace shift::core
