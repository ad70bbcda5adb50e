#!/bin/sh
# Installs a built tierd with the layout of docs/operations.md ("Install layout"):
#   DESTDIR=/tmp/stage packaging/install.sh     # stage into a directory (packaging, tests)
#   packaging/install.sh                        # install onto this machine (as root)
# Needs target/tierd.jar (mvn -B -q -DskipTests package), or TIERD_JAR=FILE. An existing
# /etc/tierd/tierd.yaml is never overwritten; the shipped one goes next to it as tierd.yaml.dist.
# The runtime needs a Java 17 `java` on PATH (Debian: openjdk-17-jre-headless).
set -eu
cd "$(dirname "$0")/.."
D=${DESTDIR:-}
jar=${TIERD_JAR:-target/tierd.jar}
if [ ! -f "$jar" ]; then
  echo "install.sh: $jar not found; build it with: mvn -B -q -DskipTests package" >&2
  exit 1
fi
install -D -m0755 bin/tierd "$D/usr/bin/tierd"
install -D -m0644 "$jar" "$D/usr/share/tierd/tierd.jar"
if [ -e "$D/etc/tierd/tierd.yaml" ]; then
  install -D -m0644 config/tierd.yaml "$D/etc/tierd/tierd.yaml.dist"
  echo "install.sh: kept $D/etc/tierd/tierd.yaml; the shipped default is tierd.yaml.dist"
else
  install -D -m0644 config/tierd.yaml "$D/etc/tierd/tierd.yaml"
fi
install -D -m0644 systemd/tierd.service "$D/usr/lib/systemd/system/tierd.service"
install -D -m0644 systemd/dedicated-user.conf "$D/usr/share/tierd/systemd/dedicated-user.conf"
install -D -m0644 systemd/fast-first.conf.example "$D/usr/share/tierd/systemd/fast-first.conf.example"
for f in monitoring/grafana-dashboard.json monitoring/tierd-alerts.yml; do
  install -D -m0644 "$f" "$D/usr/share/tierd/$f"
done
install -D -m0644 packaging/seccomp-tierd.json "$D/usr/share/tierd/seccomp-tierd.json"
install -D -m0644 docs/operations.md "$D/usr/share/doc/tierd/operations.md"
if [ -z "$D" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "install.sh: installed; start it with: systemctl enable --now tierd"
fi
