#pragma once
// A scripted HTTP/1.1 server on 127.0.0.1 for the libcurl client's tests: one thread, keep-alive,
// replies served in order, requests and connections recorded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class LoopbackServer {
   public:
    struct Reply {
        int status = 200;
        std::string body;
        std::vector<std::string> headers;  // "Name: value"
        bool silent = false;               // read the request, never answer
        std::string contentType = "application/json";
    };

    explicit LoopbackServer(std::vector<Reply> replies) : replies_(std::move(replies)) {
        listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        ::listen(listen_, 8);
        thread_ = std::thread([this] { run(); });
    }
    ~LoopbackServer() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::vector<std::string> requests() {
        std::lock_guard<std::mutex> lock(mu_);
        return requests_;
    }
    int connections() const { return connections_; }

    int port = 0;

   private:
    bool readable(int fd) {
        pollfd p{fd, POLLIN, 0};
        while (!stop_)
            if (::poll(&p, 1, 20) > 0) return true;
        return false;
    }

    void run() {
        while (readable(listen_)) {
            int fd = ::accept(listen_, nullptr, nullptr);
            if (fd < 0) continue;
            ++connections_;
            serve(fd);
            ::close(fd);
        }
    }

    void serve(int fd) {
        std::string buf;
        char chunk[4096];
        for (;;) {
            size_t headEnd;
            while ((headEnd = buf.find("\r\n\r\n")) == std::string::npos) {
                if (!readable(fd)) return;
                ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0) return;
                buf.append(chunk, size_t(n));
            }
            size_t length = 0;
            if (auto cl = buf.find("Content-Length: "); cl != std::string::npos && cl < headEnd)
                length = std::stoul(buf.substr(cl + 16));
            while (buf.size() < headEnd + 4 + length) {
                if (!readable(fd)) return;
                ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0) return;
                buf.append(chunk, size_t(n));
            }
            {
                std::lock_guard<std::mutex> lock(mu_);
                requests_.push_back(buf.substr(0, headEnd + 4 + length));
            }
            buf.erase(0, headEnd + 4 + length);
            if (next_ >= replies_.size()) return;
            const Reply& r = replies_[next_++];
            if (r.silent) {
                readable(fd);  // until the client gives up or the test ends
                return;
            }
            std::string out = "HTTP/1.1 " + std::to_string(r.status) +
                              " X\r\nContent-Type: " + r.contentType +
                              "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
            for (const auto& h : r.headers) out += h + "\r\n";
            out += "\r\n" + r.body;
            ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        }
    }

    std::vector<Reply> replies_;
    size_t next_ = 0;
    int listen_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::mutex mu_;
    std::vector<std::string> requests_;
    std::thread thread_;
};
