"""Certificates, tokens and the kubeconfig of the test API server, made with the openssl CLI."""
import json
import os
import secrets
import subprocess

# EC keys: as good as RSA for the test and generated in milliseconds.
_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _signed(d, name, subj, ext_lines):
    _openssl("req", *_KEY, "-keyout", name + ".key", "-out", name + ".csr", "-subj", subj, cwd=d)
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write("\n".join(ext_lines) + "\n")
    _openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-set_serial", str(secrets.randbits(63)), "-days", "30", "-sha256",
             "-extfile", name + ".ext", "-out", name + ".crt", cwd=d)
    os.remove(os.path.join(d, name + ".csr"))
    os.remove(os.path.join(d, name + ".ext"))


def generate(d):
    """Writes ca.crt/key, server.crt/key, admin.crt/key, nobody.crt/key and tokens.csv into d;
    returns {"admin": token, "nobody": token}."""
    _openssl("req", "-x509", *_KEY, "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
             "-subj", "/CN=shift-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature", cwd=d)
    _signed(d, "server", "/CN=127.0.0.1", [
        "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
    client = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment",
              "extendedKeyUsage=clientAuth"]
    _signed(d, "admin", "/O=system:masters/CN=admin", client)
    _signed(d, "nobody", "/CN=nobody", client)
    tokens = {"admin": secrets.token_hex(16), "nobody": secrets.token_hex(16)}
    # kube-apiserver's --token-auth-file format: token,user,uid,"group1,group2"
    with open(os.path.join(d, "tokens.csv"), "w") as f:
        f.write('%s,admin,uid-admin,"system:masters"\n' % tokens["admin"])
        f.write("%s,nobody,uid-nobody\n" % tokens["nobody"])
    with open(os.path.join(d, "admin-token"), "w") as f:
        f.write(tokens["admin"] + "\n")
    return tokens


def read_tokens(d):
    """token -> (user, groups) from tokens.csv."""
    out = {}
    with open(os.path.join(d, "tokens.csv")) as f:
        for line in f:
            parts = line.strip().split(",", 3)
            if len(parts) >= 3:
                groups = parts[3].strip('"').split(",") if len(parts) == 4 and parts[3].strip('"') else []
                out[parts[0]] = (parts[1], groups)
    return out


def write_kubeconfig(d, url, tokens):
    d = os.path.abspath(d)
    q = json.dumps  # a JSON string is a valid YAML scalar: no quoting surprises with paths
    users = [("admin", ["token: " + q(tokens["admin"])]),
             ("admin-cert", ["client-certificate: " + q(os.path.join(d, "admin.crt")),
                             "client-key: " + q(os.path.join(d, "admin.key"))]),
             ("nobody", ["token: " + q(tokens["nobody"])]),
             ("nobody-cert", ["client-certificate: " + q(os.path.join(d, "nobody.crt")),
                              "client-key: " + q(os.path.join(d, "nobody.key"))])]
    lines = ["apiVersion: v1", "kind: Config", "preferences: {}", "clusters:",
             "- name: shift-test", "  cluster:", "    server: " + q(url),
             "    certificate-authority: " + q(os.path.join(d, "ca.crt")), "users:"]
    for name, fields in users:
        lines += ["- name: " + name, "  user:"] + ["    " + f for f in fields]
    lines.append("contexts:")
    for name, _ in users:
        lines += ["- name: " + name, "  context:", "    cluster: shift-test", "    user: " + name,
                  "    namespace: istio-demo"]
    lines.append("current-context: admin")
    path = os.path.join(d, "kubeconfig")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    return path
