#include "core/istio_version.hpp"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "doc/parse.hpp"

namespace shift::core {

namespace {

std::optional<int> number(std::string_view& text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

// istiod's container is named "discovery" (pilot-discovery); any container's image otherwise.
std::string imageOf(const doc::Node& deployment) {
    const auto* containers = deployment.at({"spec", "template", "spec", "containers"});
    if (!containers || !containers->isSeq()) return {};
    std::string first;
    for (const auto& c : containers->items) {
        const auto* image = c.get("image");
        if (!image) continue;
        const auto* name = c.get("name");
        if (name && name->str() == "discovery") return image->str();
        if (first.empty()) first = image->str();
    }
    return first;
}

}  // namespace

std::optional<IstioVersion> versionOfImage(const std::string& image) {
    std::string_view ref = image;
    if (auto at = ref.find('@'); at != std::string_view::npos) ref = ref.substr(0, at);
    auto slash = ref.rfind('/');
    auto colon = ref.rfind(':');
    if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash))
        return std::nullopt;
    std::string_view tag = ref.substr(colon + 1);
    auto major = number(tag);
    if (!major || tag.empty() || tag[0] != '.') return std::nullopt;
    tag.remove_prefix(1);
    auto minor = number(tag);
    if (!minor) return std::nullopt;
    return IstioVersion{*major, *minor};
}

WeightSumFinding weightSumOfDeployments(const std::string& listJson, const std::string& ns) {
    auto stream = doc::parseJson(listJson, "deployments");
    const doc::Node* items = stream && !stream->docs.empty() ? stream->docs[0].get("items") : nullptr;
    if (!items || !items->isSeq() || items->items.empty())
        return {WeightSum::Unknown, fmt::format("no istiod Deployment in {}", ns)};
    WeightSumFinding found{WeightSum::AnyTotal, {}};
    std::vector<std::string> seen;
    for (const auto& d : items->items) {
        const auto* name = d.at({"metadata", "name"});
        std::string who = name ? name->str() : "istiod";
        auto image = imageOf(d);
        auto version = versionOfImage(image);
        if (!version) {
            return {WeightSum::Unknown,
                    fmt::format("the image of {} in {} (\"{}\") names no version", who, ns, image)};
        }
        seen.push_back(fmt::format("{} runs {}.{}", who, version->major, version->minor));
        bool old = version->major < 1 || (version->major == 1 && version->minor < 15);
        if (old) {
            found = {WeightSum::Sum100,
                     fmt::format("{} in {} runs {}.{}", who, ns, version->major, version->minor)};
            return found;
        }
    }
    found.why = fmt::format("{} in {}", fmt::join(seen, ", "), ns);
    return found;
}

Result<WeightSum> parseWeightSum(const std::string& text) {
    if (text == "any-total") return WeightSum::AnyTotal;
    if (text == "sum-100") return WeightSum::Sum100;
    return fail(
        fmt::format("--weights \"{}\": write any-total (Istio 1.15+ and HTTPRoutes: weights are a ratio) or "
                    "sum-100 (Istio "
                    "1.14 and older)",
                    text));
}

}  // namespace shift::core
