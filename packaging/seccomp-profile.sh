#!/bin/sh
# Derives tierd's container seccomp profile from a runtime's default profile:
#   packaging/seccomp-profile.sh [BASE.json] > seccomp-tierd.json
# BASE defaults to /usr/share/containers/seccomp.json, the default profile of podman, buildah and
# CRI-O (Debian package golang-github-containers-common, Apache-2.0); Docker's default profile
# (moby profiles/seccomp/default.json) works as BASE too. packaging/seccomp-tierd.json is this
# script's output for Debian 12's containers-common 0.50.1.
#
# The change, and only it: move_pages, migrate_pages, mbind, get_mempolicy, set_mempolicy and
# set_mempolicy_home_node are taken out of every rule that refuses them or allows them only
# conditionally, and allowed unconditionally. The defaults refuse them:
#   - containers-common: move_pages and migrate_pages are in an explicit EPERM rule;
#   - Docker: move_pages and migrate_pages are in no rule, so the default action (EPERM) applies
#     whatever the capabilities; mbind, get_mempolicy, set_mempolicy(_home_node) are allowed only
#     with CAP_SYS_NICE.
# Needs jq.
set -eu
base=${1:-/usr/share/containers/seccomp.json}
jq --indent 1 '
  ["move_pages", "migrate_pages", "mbind", "get_mempolicy", "set_mempolicy",
   "set_mempolicy_home_node"] as $numa
  | def unconditional_allow:
      .action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0
      and ((.includes // {}) | length) == 0 and ((.excludes // {}) | length) == 0;
    .syscalls |= map(if unconditional_allow then . else .names -= $numa end
                     | select((.names | length) > 0))
  | ([.syscalls[] | select(unconditional_allow) | .names[]]) as $allowed
  | .syscalls += [{
      names: ($numa - $allowed),
      action: "SCMP_ACT_ALLOW",
      comment: "tierd: NUMA page migration and memory policy (move_pages(2), migrate_pages(2), mbind(2), get_mempolicy(2), set_mempolicy(2)); see docs/operations.md",
      includes: {},
      excludes: {}
    } | select((.names | length) > 0)]
' "$base"
