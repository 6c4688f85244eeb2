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

// The rule a LIST:INDEX or INDEX selector points at, if the text has that shape and the rule exists.
std::optional<std::size_t> byPosition(const VirtualService& vs, const std::string& selector) {
    RouteList list = defaultList(vs);
    std::string_view indexText = selector;
    if (auto colon = selector.find(':'); colon != std::string::npos) {
        auto prefix = selector.substr(0, colon);
        if (prefix == "http") {
            list = RouteList::Http;
        } else if (prefix == "tcp") {
            list = RouteList::Tcp;
        } else if (prefix == "tls") {
            list = RouteList::Tls;
        } else if (prefix == "rules") {
            list = RouteList::Rules;
        } else {
            return std::nullopt;
        }
        indexText = std::string_view(selector).substr(colon + 1);
    }
    auto index = parseIndex(indexText);
    if (!index) return std::nullopt;
    for (std::size_t i = 0; i < vs.rules.size(); ++i) {
        if (vs.rules[i].list == list && vs.rules[i].index == *index) return i;
    }
    return std::nullopt;
}

std::vector<std::size_t> byName(const VirtualService& vs, const std::string& selector) {
    std::vector<std::size_t> named;
    for (std::size_t i = 0; i < vs.rules.size(); ++i) {
        if (vs.rules[i].name == selector) named.push_back(i);
    }
    return named;
}

// A rule's name wins over an index of the same spelling: Istio allows any string as a name, so a
// rule named "1" or "tcp:0" must stay selectable. shadowNotes() says when that hides an index.
Result<std::size_t> findRule(const VirtualService& vs, const std::string& selector) {
    if (selector.empty()) {
        return fail(
            fmt::format("--route needs a value: a rule name, an index into {}, or LIST:INDEX; the rules of "
                        "{} {}: {}",
                        listName(defaultList(vs)), kindName(vs.kind), qualifiedName(vs), listRules(vs)));
    }
    auto named = byName(vs, selector);
    if (named.size() == 1) return named[0];
    if (named.size() > 1) {
        return fail(fmt::format("--route {} names {} rules in {} {}; use LIST:INDEX instead: {}", selector,
                                named.size(), kindName(vs.kind), qualifiedName(vs), listRules(vs)));
    }
    if (auto at = byPosition(vs, selector)) return *at;
    return fail(fmt::format("--route {} matches no rule of {} {}; its rules: {}", selector, kindName(vs.kind),
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
    if (vs.rules.empty() && vs.kind == RouteKind::HTTPRoute) {
        return fail(fmt::format("HTTPRoute {} has no rules to shift; add a rule with backendRefs first",
                                qualifiedName(vs)));
    }
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
        if (vs.rules[i].list == defaultList(vs) && !vs.rules[i].hasMatch) catchAll.push_back(i);
    }
    if (catchAll.size() == 1) return catchAll;
    return fail(
        fmt::format("{} {} has {} rules and no single catch-all {} rule; choose with "
                    "--route NAME|INDEX|LIST:INDEX: {}",
                    kindName(vs.kind), qualifiedName(vs), vs.rules.size(),
                    vs.kind == RouteKind::HTTPRoute ? "(without matches)" : "http", listRules(vs)));
}

// Another spelling of a position that a rule's name shadows: "1" and "http:1" both name http[1].
std::string otherSpelling(const std::string& selector, const Rule& rule) {
    if (rule.list != RouteList::Http && rule.list != RouteList::Rules) return {};
    auto index = std::to_string(rule.index);
    return selector == index ? std::string(listName(rule.list)) + ":" + index : index;
}

std::vector<std::string> shadowNotes(const VirtualService& vs, const std::vector<std::string>& selectors) {
    std::vector<std::string> notes;
    for (const auto& s : selectors) {
        auto named = byName(vs, s);
        auto at = byPosition(vs, s);
        if (named.size() != 1 || !at || *at == named[0]) continue;
        const Rule& hidden = vs.rules[*at];
        auto alt = otherSpelling(s, hidden);
        notes.push_back(fmt::format("--route {} selects the rule named \"{}\" ({}), not {}; {}", s, s,
                                    ruleLabel(vs.rules[named[0]]), ruleLabel(hidden),
                                    alt.empty() ? "rename that rule to select this one by position"
                                                : fmt::format("write --route {} for that one", alt)));
    }
    return notes;
}

}  // namespace shift::core
