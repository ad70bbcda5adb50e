# Sourced (bash) by packaging/build-image.sh and src/test/vm/setup.sh: where this machine gets its
# Debian packages from. The repository names no archive host: the scripts take the archive this
# machine's apt already uses (a local mirror, a proxy, a snapshot), so they work wherever apt works,
# and fail with a clear message where it has no source. (tierd.packaging.NoArchiveHostsTest keeps
# host names out of the repository and tests these functions.)

# apt_source_uri SUITE: prints the URI of the first enabled "deb" source of this machine that
# serves SUITE (e.g. bookworm, bookworm-security), without a trailing slash; returns 1 if none does.
# Reads /etc/apt/sources.list and sources.list.d/*.list (one-line format) and sources.list.d/*.sources
# (deb822: Types, URIs, Suites, Enabled). TIERD_APT_ETC replaces /etc/apt (tests).
apt_source_uri() {
    local suite=$1 etc=${TIERD_APT_ETC:-/etc/apt} f uri
    local files=()
    for f in "$etc/sources.list" "$etc"/sources.list.d/*.list "$etc"/sources.list.d/*.sources; do
        [[ -r $f ]] && files+=("$f")
    done
    ((${#files[@]})) || return 1
    uri=$(awk -v suite="$suite" '
        function has(list, word,    n, i, w) {
            n = split(list, w, /[ \t]+/)
            for (i = 1; i <= n; i++) if (w[i] == word) return 1
            return 0
        }
        function stanza_end() {
            if (found == "" && has(types, "deb") && enabled != "no" && has(suites, suite)) {
                split(uris, u, /[ \t]+/); found = u[1]
            }
            types = ""; uris = ""; suites = ""; enabled = ""
        }
        FNR == 1 { stanza_end(); deb822 = FILENAME ~ /\.sources$/ }
        deb822 && /^[ \t]*#/ { next }
        deb822 && /^[ \t]*$/ { stanza_end(); next }
        deb822 && /^[A-Za-z-]+:/ {
            key = tolower(substr($0, 1, index($0, ":") - 1))
            val = substr($0, index($0, ":") + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
            if (key == "types") types = val
            else if (key == "uris") uris = val
            else if (key == "suites") suites = val
            else if (key == "enabled") enabled = tolower(val)
            next
        }
        !deb822 {
            sub(/#.*/, "")
            if ($1 != "deb") next
            line = $0; sub(/^[ \t]*deb[ \t]+/, "", line)
            if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
            split(line, w, /[ \t]+/)
            if (found == "" && w[2] == suite) found = w[1]
        }
        END { stanza_end(); if (found != "") print found }
    ' "${files[@]}")
    [[ -n $uri ]] || return 1
    printf '%s\n' "${uri%/}"
}

# debian_archive_uri SUITE: apt_source_uri SUITE, or else the source of this machine's own Debian
# release with the same suffix (one archive serves every release: on a trixie machine "bookworm"
# is found through its "trixie" source, "bookworm-security" through "trixie-security").
debian_archive_uri() {
    local suite=$1 base codename
    apt_source_uri "$suite" && return 0
    base=${suite%%-*}
    codename=$(. /etc/os-release 2>/dev/null && [[ ${ID:-} == debian ]] && echo "${VERSION_CODENAME:-}")
    [[ -n $codename && $codename != "$base" ]] || return 1
    apt_source_uri "$codename${suite#"$base"}"
}
