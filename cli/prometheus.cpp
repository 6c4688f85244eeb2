#include "prometheus.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "report.hpp"

namespace shift::cli {

void declarePrometheus(CLI::App& app, PrometheusFlags& f) {
    app.add_option("--prometheus", f.url, "Prometheus's address (default $SHIFT_PROMETHEUS_URL)")
        ->option_text("URL");
    app.add_option(
           "--prometheus-service", f.service,
           "Reach Prometheus through the API server's service proxy, e.g. istio-system/prometheus:9090")
        ->option_text("NS/NAME:PORT");
    app.add_option("--prometheus-token-file", f.tokenFile, "Send this file's token to Prometheus (Bearer)")
        ->option_text("FILE");
    app.add_option("--prometheus-ca-file", f.caFile, "Verify Prometheus's certificate against this CA")
        ->option_text("FILE");
    app.add_option("--prometheus-timeout", f.timeout,
                   "Give up on a Prometheus query after this long (default 10s)")
        ->option_text("DURATION");
}

Result<prom::Access> prometheusAccess(const PrometheusFlags& f) {
    prom::Access a;
    a.url = f.url;
    if (a.url.empty() && std::getenv("SHIFT_PROMETHEUS_URL")) a.url = std::getenv("SHIFT_PROMETHEUS_URL");
    if (!a.url.empty() && !f.service.empty())
        return fail("give --prometheus or --prometheus-service, not both");
    if (a.url.empty() && f.service.empty())
        return fail(
            "say where Prometheus is: --prometheus URL (or SHIFT_PROMETHEUS_URL), or "
            "--prometheus-service NAMESPACE/NAME:PORT (e.g. istio-system/prometheus:9090)");
    if (!a.url.empty() && a.url.rfind("http://", 0) != 0 && a.url.rfind("https://", 0) != 0)
        return fail(
            fmt::format("invalid --prometheus \"{}\": use http://HOST:PORT or https://HOST:PORT", a.url));
    auto t = core::parseDuration(f.timeout, "--prometheus-timeout");
    if (!t) return t.error();
    a.timeoutSeconds = double(t->count()) / 1e9;
    a.tokenFile = f.tokenFile;
    a.caFile = f.caFile;
    if (!f.service.empty()) {
        if (auto p = prom::serviceProxyPrefix(f.service); !p) return p.error();
    }
    return a;
}

Result<std::unique_ptr<Prometheus>> Prometheus::open(const PrometheusFlags& f, kube::Client& cluster,
                                                     int verbosity) {
    auto access = prometheusAccess(f);
    if (!access) return access.error();
    auto p = std::make_unique<Prometheus>();
    if (!f.service.empty()) {
        p->client_ = std::make_unique<prom::Client>(cluster, *prom::serviceProxyPrefix(f.service));
    } else {
        p->own_ = kube::connect(prom::directCluster(*access), verbosity);
        p->client_ = std::make_unique<prom::Client>(*p->own_, "");
    }
    return p;
}

Status Prometheus::checkWindow(core::Duration window, const std::string& flag) {
    auto scrape = client_->scrapeInterval();
    if (!scrape) return scrape.error();
    if (!*scrape) {
        warn(fmt::format(
            "Prometheus does not show its configuration: cannot check that {} {} covers two scrapes", flag,
            core::formatDuration(window)));
        return okStatus();
    }
    if (window < 2 * **scrape)
        return fail(
            fmt::format("{} {} is shorter than two of Prometheus's scrapes (scrape_interval {}): rate() "
                        "would see no traffic; use {} {} or more",
                        flag, core::formatDuration(window), core::formatDuration(**scrape), flag,
                        core::formatDuration(2 * **scrape)));
    return okStatus();
}

std::string versionLabel(kube::Api& api, const std::string& ns, const std::string& host,
                         const std::string& subset) {
    auto body = api.listDestinationRules(ns);
    if (!body) return subset;
    auto doc = nlohmann::json::parse(*body, nullptr, false);
    if (doc.is_discarded() || !doc.contains("items")) return subset;
    const std::string shortHost = host.substr(0, host.find('.'));
    for (const auto& dr : doc["items"]) {
        const auto& spec = dr.value("spec", nlohmann::json::object());
        std::string drHost = spec.value("host", "");
        if (drHost != host && drHost.substr(0, drHost.find('.')) != shortHost) continue;
        for (const auto& s : spec.value("subsets", nlohmann::json::array())) {
            if (s.value("name", "") != subset) continue;
            const auto& labels = s.value("labels", nlohmann::json::object());
            for (const char* key : {"version", "app.kubernetes.io/version"})
                if (labels.contains(key) && labels[key].is_string()) return labels[key].get<std::string>();
        }
    }
    return subset;
}

namespace {
std::string shortName(const std::string& host) { return host.substr(0, host.find('.')); }
}  // namespace

ObservedRoute observedRoute(kube::Api& api, const std::string& ns, const core::RuleSplit& split,
                            const std::string& extraKey) {
    ObservedRoute r;
    for (const auto& d : split.destinations)
        if (!d.subset.empty() && r.host.empty()) r.host = d.host;
    if (r.host.empty()) {
        r.service = {{}, ns, "destination_service_name"};
        for (const auto& d : split.destinations) r.labels[d.key] = shortName(d.host);
        if (!extraKey.empty()) r.labels[extraKey] = shortName(extraKey);
        for (const auto& [key, label] : r.labels) r.service.names.push_back(label);
        return r;
    }
    r.service = {{shortName(r.host)}, ns, "destination_version"};
    for (const auto& d : split.destinations)
        r.labels[d.key] = d.subset.empty() ? d.key : versionLabel(api, ns, d.host, d.subset);
    if (!extraKey.empty() && !r.labels.count(extraKey))
        r.labels[extraKey] = versionLabel(api, ns, r.host, extraKey);
    return r;
}

}  // namespace shift::cli
