# tierd container image: a Maven build stage on a JDK 17 image, a runtime stage on a JRE 17 image.
#
#   docker build -t tierd .                                   # public bases (Docker Hub)
#   packaging/build-image.sh                                  # buildah, local Debian bases, no registry
#
# The bases are ARGs so the image builds where Docker Hub cannot be reached: packaging/build-image.sh
# passes local Debian bookworm images (openjdk-17-jdk-headless + maven, openjdk-17-jre-headless).
# Their defaults are short names: the registry is the machine's (docker: Docker Hub or its mirror,
# podman/buildah: unqualified-search-registries in /etc/containers/registries.conf).
# The runtime base must be glibc-based (JNA's bundled native library), so not Alpine.
#
# Running it needs more than `docker run`: --pid=host, CAP_SYS_NICE (+ CAP_SYS_PTRACE) and a
# seccomp profile that allows move_pages; see docs/operations.md, "Container".
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY src/main ./src/main
# Tests run in CI, not here (they need the host's kernel and fixtures); -Dmaven.test.skip also
# skips compiling them. The Maven repository is a cache mount, so rebuilds do not download again.
RUN --mount=type=cache,target=/root/.m2,id=tierd-m2 \
    mvn -B -q -Dmaven.test.skip=true package \
 && java -jar target/tierd.jar --version >/dev/null

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="tierd" \
      org.opencontainers.image.description="Userspace memory-tiering daemon (DRAM / PMEM / CXL)" \
      org.opencontainers.image.documentation="docs/operations.md"
# The same layout as a package install (docs/operations.md, "Install layout").
COPY --from=build /src/target/tierd.jar /usr/share/tierd/tierd.jar
COPY bin/tierd /usr/bin/tierd
COPY config/tierd.yaml /etc/tierd/tierd.yaml
RUN chmod 0755 /usr/bin/tierd && chmod 0644 /usr/share/tierd/tierd.jar /etc/tierd/tierd.yaml \
 && mkdir -p /run/tierd
# Small, steady footprint; bin/tierd already sets serial GC, -Xmx64m and C1 only; JAVA_OPTS adds to
# them (e.g. -Xmx128m for hosts with very many managed processes).
ENV JAVA_OPTS=""
EXPOSE 9464
# SIGTERM: tierd finishes the move_pages call in flight, removes the kdamond it created, exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tierd"]
# Inside a container network namespace the endpoint must listen beyond loopback to be scraped.
CMD ["run", "--config", "/etc/tierd/tierd.yaml", "--listen", "0.0.0.0:9464"]
