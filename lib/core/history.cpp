#include "core/history.hpp"

#include <fmt/format.h>

#include <ctime>
#include <nlohmann/json.hpp>

namespace shift::core {

namespace {

using nlohmann::json;

Error notOurs(const char* annotation, const std::string& why) {
    return fail(
        fmt::format("annotation {} is not in shift's format ({}); remove it with `kubectl annotate "
                    "virtualservice NAME {}-` to start a new record",
                    annotation, why, annotation));
}

json encodeRevision(const Revision& r) {
    json rules = json::array();
    for (const auto& rule : r.rules) rules.push_back({{"rule", rule.rule}, {"split", rule.split}});
    return {{"revision", r.number},
            {"time", formatTime(r.time)},
            {"user", r.user},
            {"command", r.command},
            {"rules", rules}};
}

// Reads one revision; throws json errors on a wrong shape (caught by the caller).
Revision decodeRevision(const json& j) {
    Revision r;
    r.number = j.at("revision").get<long long>();
    auto time = parseTime(j.at("time").get<std::string>());
    if (!time) throw std::invalid_argument("bad time");
    r.time = *time;
    r.user = j.at("user").get<std::string>();
    r.command = j.at("command").get<std::string>();
    for (const auto& rule : j.at("rules")) {
        r.rules.push_back({rule.at("rule").get<std::string>(), rule.at("split").get<std::string>()});
    }
    return r;
}

}  // namespace

std::string encodeHistory(const std::vector<Revision>& history) {
    json out = json::array();
    for (const auto& r : history) out.push_back(encodeRevision(r));
    return out.dump();
}

Result<std::vector<Revision>> decodeHistory(const std::string& value) {
    auto j = json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_array()) return notOurs(kHistoryAnnotation, "not a JSON list");
    std::vector<Revision> out;
    try {
        for (const auto& item : j) out.push_back(decodeRevision(item));
    } catch (const std::exception&) {
        return notOurs(kHistoryAnnotation, "a revision lacks a field or has one of the wrong type");
    }
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].number <= out[i - 1].number) return notOurs(kHistoryAnnotation, "revisions out of order");
    }
    return out;
}

std::vector<Revision> appendRevision(std::vector<Revision> history, Revision next, std::size_t limit) {
    next.number = history.empty() ? 1 : history.back().number + 1;
    if (next.command.size() > kCommandMaxChars)
        next.command = next.command.substr(0, kCommandMaxChars - 3) + "...";
    history.push_back(std::move(next));
    std::size_t keep = std::max<std::size_t>(limit, 1);
    if (history.size() > keep) history.erase(history.begin(), history.end() - static_cast<long>(keep));
    while (history.size() > 1 && encodeHistory(history).size() > kHistoryMaxBytes)
        history.erase(history.begin());
    return history;
}

std::string encodeRolloutMark(const RolloutMark& m) {
    return json{{"holder", m.holder},
                {"command", m.command},
                {"step", m.step},
                {"steps", m.steps},
                {"started", formatTime(m.started)},
                {"heartbeat", formatTime(m.heartbeat)}}
        .dump();
}

Result<RolloutMark> decodeRolloutMark(const std::string& value) {
    auto j = json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return notOurs(kRolloutAnnotation, "not a JSON object");
    try {
        RolloutMark m;
        m.holder = j.at("holder").get<std::string>();
        m.command = j.at("command").get<std::string>();
        m.step = j.at("step").get<long long>();
        m.steps = j.at("steps").get<long long>();
        auto started = parseTime(j.at("started").get<std::string>());
        auto heartbeat = parseTime(j.at("heartbeat").get<std::string>());
        if (!started || !heartbeat) return notOurs(kRolloutAnnotation, "a time is not RFC 3339");
        m.started = *started;
        m.heartbeat = *heartbeat;
        return m;
    } catch (const std::exception&) {
        return notOurs(kRolloutAnnotation, "a field is missing or of the wrong type");
    }
}

bool isFresh(const RolloutMark& mark, Clock::time_point now, std::chrono::seconds staleAfter) {
    return now - mark.heartbeat <= staleAfter;
}

std::string formatTime(Clock::time_point t) {
    std::time_t secs = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<Clock::time_point> parseTime(const std::string& text) {
    std::tm tm{};
    char z = 0;
    int used = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z, &used) != 7 ||
        z != 'Z' || static_cast<std::size_t>(used) != text.size()) {
        return std::nullopt;
    }
    // Years the clock can hold in nanoseconds (1970-2262), narrowed to what a record can carry.
    if (tm.tm_year < 1970 || tm.tm_year > 2200 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
        tm.tm_sec < 0 || tm.tm_sec > 60) {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return Clock::from_time_t(timegm(&tm));
}

}  // namespace shift::core
