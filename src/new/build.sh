#!/bin/sh
# Builds this site with soapbox @VERSION@, the version that wrote it, on a host's build
# machine: GitHub Pages (.github/workflows/publish.yml runs it), Netlify (netlify.toml runs
# it) and Cloudflare Pages (set the build command to `sh .soapbox/build.sh` and the build
# output folder to `public`). Nothing is compiled: it downloads that release's binary for
# this machine, checks it against the SHA-256 sums published with the release, and builds
# the site into public/.
#
#   sh .soapbox/build.sh [BASE_URL]
#
# BASE_URL replaces site.yaml's base_url. Without it, a Netlify deploy preview or branch
# deploy, and a Cloudflare Pages deploy of any branch but SOAPBOX_PRODUCTION_BRANCH (main
# unless you set it), are built for their own preview address; production uses site.yaml's.
# To move to a newer soapbox, change the version below.
set -eu
version=@VERSION@
releases=@RELEASES@

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) echo "error: soapbox $version has no ready-made binary for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
name="soapbox-$version-$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Downloading $name and its SHA-256 sum"
for file in "$name.tar.gz" SHA256SUMS; do
  curl --proto '=https' --tlsv1.2 --fail --silent --show-error --location --retry 3 \
    --output "$work/$file" "$releases/v$version/$file"
done
# Only this archive's line: the check fails when it is missing or the bytes differ.
awk -v file="$name.tar.gz" '$2 == file || $2 == "*" file' "$work/SHA256SUMS" >"$work/expected"
if [ ! -s "$work/expected" ]; then
  echo "error: SHA256SUMS of soapbox $version has no line for $name.tar.gz" >&2
  exit 1
fi
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$work" && sha256sum -c expected)
else
  (cd "$work" && shasum -a 256 -c expected)
fi
tar -xzf "$work/$name.tar.gz" -C "$work"

base="${1:-}"
if [ -z "$base" ]; then
  case "${CONTEXT:-}" in
    deploy-preview | branch-deploy) base="${DEPLOY_PRIME_URL:-}" ;;
  esac
  if [ -n "${CF_PAGES:-}" ] && [ "${CF_PAGES_BRANCH:-}" != "${SOAPBOX_PRODUCTION_BRANCH:-main}" ]; then
    base="${CF_PAGES_URL:-}"
  fi
fi
if [ -n "$base" ]; then
  "$work/$name/soapbox" build --base-url "$base"
else
  "$work/$name/soapbox" build
fi
