#!/usr/bin/env bash
# Build a minimal root filesystem around busybox-static and pack it as a reproducible tarball.
#
#   scripts/make-busybox-rootfs.sh OUT.tar [EXTRA_FILE:PATH_IN_ROOTFS]...
#
# The rootfs holds /bin/busybox with a symlink for every applet (from `busybox --list-full`),
# /etc/passwd and /etc/group with root, /tmp (1777), /proc, /sys, /dev, /root, /run, /var.
# Extra files (e.g. a benchmark binary) are copied in with mode 0755. The tarball is byte-for-byte
# reproducible for the same inputs (sorted, fixed mtime, numeric root ownership), so its sha256
# identifies its content. Prints the tarball's sha256 on stdout.
set -euo pipefail

BUSYBOX=${STASIS_BUSYBOX:-/bin/busybox}

die() { printf 'make-busybox-rootfs: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 OUT.tar [FILE:PATH]..."
out=$1; shift
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found: install Debian's busybox-static (scripts/setup.sh does)"
file_type=$(head -c 4 "$BUSYBOX" | od -An -c | tr -d ' ')
[ "$file_type" = '177ELF' ] || die "$BUSYBOX is not an ELF binary"

work=$(mktemp -d "${TMPDIR:-/tmp}/stasis-rootfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
umask 022

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,proc,sys,dev,run,var/tmp,tmp}
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 0700 "$root/root"
cp "$BUSYBOX" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"

# One symlink per applet, pointing at /bin/busybox relative to the link's own folder.
while IFS= read -r applet; do
  case $applet in
    bin/busybox | "" ) continue ;;
    */*) ;;
    *) continue ;; # e.g. "linuxrc" at the top: not wanted
  esac
  dir=$(dirname "$applet")
  mkdir -p "$root/$dir"
  case $dir in
    bin) target=busybox ;;
    sbin) target=../bin/busybox ;;
    usr/bin | usr/sbin) target=../../bin/busybox ;;
    *) die "unexpected applet folder: $applet" ;;
  esac
  ln -sfn "$target" "$root/$applet"
done < <("$BUSYBOX" --list-full)
[ -L "$root/bin/sh" ] || die "busybox has no sh applet"

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo 'localhost' > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' > "$root/etc/hosts"
chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/hostname" "$root/etc/hosts"

for extra in "$@"; do
  src=${extra%%:*}
  dst=${extra#*:}
  [ -f "$src" ] || die "extra file $src not found"
  case $dst in /*) ;; *) die "extra file destination must be absolute: $extra" ;; esac
  mkdir -p "$root$(dirname "$dst")"
  cp "$src" "$root$dst"
  chmod 0755 "$root$dst"
done

mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$root" -cf "$out.tmp" .
mv -f "$out.tmp" "$out"
sha256sum "$out" | cut -d' ' -f1
