#include "core/select.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace shift::core {

namespace {

std::optional<std::size_t> parseIndex(std::string_view text) {
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string describeRule(const Rule& rule) {
    auto text = ruleLabel(rule);
    text += rule.hasMatch ? " match " + rule.matchSummary : " (no match: catch-all)";
    return text;
}

Result<std::size_t> findRule(const VirtualService& vs, const std::string& selector) {
    RouteList list = RouteList::Http;
    std::string_view indexText = selector;
    if (auto colon = selector.find(':'); colon != std::string::npos) {
        auto prefix = selector.substr(0, colon);
        bool known = true;
        if (prefix == "http")
            list = RouteList::Http;
        else if (prefix == "tcp")
            list = RouteList::Tcp;
        else if (prefix == "tls")
            list = RouteList::Tls;
        else
            known = false;
        if (known) indexText = std::string_view(selector).substr(colon + 1);
    }
    if (auto index = parseIndex(indexText)) {
        for (std::size_t i = 0; i < vs.rules.size(); ++i) {
            if (vs.rules[i].list == list && vs.rules[i].index == *index) return i;
        }
    } else {
        std::vector<std::size_t> named;
        for (std::size_t i = 0; i < vs.rules.size(); ++i) {
            if (vs.rules[i].name == selector) named.push_back(i);
        }
        if (named.size() == 1) return named[0];
        if (named.size() > 1) {
            return fail(
                fmt::format("--route {} names {} rules in VirtualService {}; use LIST:INDEX instead: {}",
                            selector, named.size(), qualifiedName(vs), listRules(vs)));
        }
    }
    return fail(fmt::format("--route {} matches no rule of VirtualService {}; its rules: {}", selector,
                            qualifiedName(vs), listRules(vs)));
}

}  // namespace

std::string listRules(const VirtualService& vs) {
    std::vector<std::string> lines;
    for (const auto& rule : vs.rules) lines.push_back(describeRule(rule));
    return fmt::format("{}", fmt::join(lines, "; "));
}

Result<std::vector<std::size_t>> selectRules(const VirtualService& vs,
                                             const std::vector<std::string>& selectors) {
    if (vs.rules.empty()) {
        return fail(
            fmt::format("VirtualService {} has no http, tcp or tls routes to shift; add a route first",
                        qualifiedName(vs)));
    }
    std::vector<std::size_t> chosen;
    if (!selectors.empty()) {
        for (const auto& s : selectors) {
            auto found = findRule(vs, s);
            if (!found) return found.error();
            if (std::find(chosen.begin(), chosen.end(), *found) == chosen.end()) chosen.push_back(*found);
        }
        return chosen;
    }
    if (vs.rules.size() == 1) return std::vector<std::size_t>{0};
    std::vector<std::size_t> catchAll;
    for (std::size_t i = 0; i < vs.rules.size(); ++i) {
        if (vs.rules[i].list == RouteList::Http && !vs.rules[i].hasMatch) catchAll.push_back(i);
    }
    if (catchAll.size() == 1) return catchAll;
    return fail(
        fmt::format("VirtualService {} has {} rules and no single catch-all http rule; choose with "
                    "--route NAME|INDEX|LIST:INDEX: {}",
                    qualifiedName(vs), vs.rules.size(), listRules(vs)));
}

}  // namespace shift::core
