#!/usr/bin/env bash
# bench/debian_eval.sh — evaluation repositories for `vouch triage` built from the upstream
# source tarballs Debian keeps for its current suites, for C projects that no crate vendors.
#
# What it does
#   1. Gets each release tree of PROJECT listed below with debian_src (eval_common.sh): Debian's
#      `.orig` tarball, verified against the SHA-256 in Debian's Sources index. Debian's pool
#      holds only the releases its current suites (and their security and backports suites)
#      ship, so a project gets two to five releases, years apart; a report between two of them
#      is checked against the older one, as against a clone that was not updated. A tree is used
#      only when the project's own version file names the release expected, and it is dated by
#      its newest file (tarballs made by `git archive` carry the release commit's time).
#   2. Builds a git repository `$WORK/PROJECT` with one commit per release, oldest first, tagged
#      as the project tags its releases.
#   3. With REPORTS set, runs `vouch triage --queue $REPORTS --repo $WORK/PROJECT --format json`
#      into $WORK/queue.json and prints one line per report (score, flagged, title).
#
# Projects (Debian source package; releases whose tarball the Debian archive served when this
# script was written; other listed versions 404 there):
#   cjson       1.7.14 1.7.15 1.7.18 1.7.19                tags v1.7.18
#   libarchive  3.6.2 3.7.4                                tags v3.7.4
#   expat       2.2.10 2.5.0 2.8.2 2.8.3                   tags R_2_8_3
#   jq          1.6 1.7.1 1.8.2                            tags jq-1.8.2
#   mosquitto   2.0.11 2.0.21 2.1.2                        tags v2.1.2
#   freerdp     2.11.7 (freerdp2) 3.15.0 (freerdp3)        tags 3.15.0
#   json-c      0.15 0.16 0.18                             tags json-c-0.18-20240915
#   gnuradio    3.10.12.0                                  tags v3.10.12.0
#   gdal        3.6.2 3.10.3 3.13.3                        tags v3.13.3
#   tinyxml2    8.0.0 9.0.0 11.0.0                         tags 11.0.0
#   md4c        0.4.8 0.5.2 (0.5.3 gives its version another way)  tags release-0.5.2
#   uriparser   0.9.8                                      tags uriparser-0.9.8
#   multimon-ng 1.3.1                                      tags 1.3.1
#   rtl-433     22.11 25.02                                tags 25.02
#   php         8.2.32 (php8.2)                            tags php-8.2.32
#   nginx       1.18.0 1.22.1 1.26.3                       tags release-1.26.3
#   valkey      8.1.1 9.1.2                                tags 9.1.2
#   libsndfile  1.2.0 1.2.2                                tags 1.2.2
#   redis       6.0.16 7.0.15 8.0.2 8.0.6                  tags 8.0.6
#   tcpdump     4.99.3 4.99.6                              tags tcpdump-4.99.6
#   zstd        1.4.8 1.5.4 1.5.7 (libzstd)                tags v1.5.7
#   jansson     2.14 2.15.1                                tags v2.15.1
#   libmodbus   3.1.6 3.1.11                               tags v3.1.11
#   libwebsockets 4.1.6 4.3.5                              tags v4.3.5
#   libexif     0.6.24 0.6.25 0.6.26                       tags libexif-0_6_26-release
#   libcoap     4.3.1 4.3.5 (libcoap3)                     tags v4.3.5
#   htslib      1.16 1.24                                  tags 1.24
#   tmux        3.1c 3.3a 3.5a                             tags 3.5a
#   libyaml     0.2.5                                      tags 0.2.5
#   libplist    2.2.0                                      tags 2.2.0
#   libgit2     1.1.0 1.5.1 1.9.0 1.9.7                    tags v1.9.7
#   mruby       3.1.0 3.3.0                                tags 3.3.0
#   civetweb    1.15 1.16                                  tags v1.16
#   libpcap     1.10.3 1.10.5                              tags libpcap-1.10.5
#   libmysofa   1.3.3                                      tags v1.3.3
#   lrzip       0.651                                      tags v0.651
#   libheif     1.15.1 1.19.7                              tags v1.19.7
#   libde265    1.0.11 1.0.15                              tags v1.0.15
#   haproxy     2.2.9 2.6.12 3.0.11                        tags v3.0.11
#   exiv2       0.27.3 0.27.6                              tags v0.27.6
#   libgd       2.3.0 2.3.3 (libgd2)                       tags gd-2.3.3
#   wavpack     5.6.0 5.8.1                                tags 5.8.1
#   faad2       2.10.1 2.11.2                              tags 2.11.2
#   libraw      0.20.2 0.21.4                              tags 0.21.4
#   unbound     1.17.1                                     tags release-1.17.1
#   qpdf        11.3.0 12.2.0                              tags v12.2.0
#   yaml-cpp    0.7.0 0.8.0                                tags yaml-cpp-0.8.0
#   dropbear    2022.83 2025.89                            tags DROPBEAR_2025.89
#   tinyproxy   1.11.1                                     tags 1.11.1
#   openexr     2.5.4 3.1.5 3.1.13                         tags v3.1.13
#   assimp      5.4.3 6.0.5 (5.2.5's CMakeLists.txt says 5.2.4)  tags v6.0.5
#   libvips     8.14.1 8.16.1 (vips)                       tags v8.16.1
#   janus       1.1.2 1.4.1                                tags v1.4.1
#   imagemagick 6.9.11-60 7.1.1-43                         tags 7.1.1-43
#   libsolv     0.7.23 0.7.32 0.7.40                       tags 0.7.40
#   sleuthkit   4.14.0                                     tags sleuthkit-4.14.0
#   protobuf-c  1.3.3 1.4.1 1.5.1                          tags v1.5.1
#   msgpack-c   4.0.0 6.1.0 (the C library)                tags c-6.1.0
#   libavif     1.4.2                                      tags v1.4.2
#   wabt        1.0.32                                     tags 1.0.32
#   espeak-ng   1.52.0                                     tags 1.52.0
#   upx         4.2.4 (upx-ucl)                            tags v4.2.4
#   stb         snapshots 2020-07-13 2022-09-08 2024-11-09 (libstb)  tags snapshot-20220908.8b5f1f3
#   libvncserver 0.9.14 0.9.15                             tags LibVNCServer-0.9.15
#   jhead       3.06.0.1 3.08                              tags 3.08
#   leptonica   1.82.0 1.84.1 1.86.0 (leptonlib)           tags 1.86.0
#   cmark       0.30.2                                     tags 0.30.2
#   podofo      0.9.8 (libpodofo)                          tags 0.9.8
#   ndpi        4.2                                        tags 4.2
#   liblouis    3.38.0 3.39.0                              tags v3.39.0
#   hiredis     0.14.1 1.2.0                               tags v1.2.0
#   libxmp      4.5.0                                      tags libxmp-4.5.0
#   avahi       0.8                                        tags v0.8
#   iperf3      3.9                                        tags 3.9
#   vim         8.2.2434 9.0.1378 9.1.1230 9.2.0858        tags v9.2.0858
#   sdl         2.26.5 (libsdl2) 3.2.10 (libsdl3) 2.32.10  tags release-2.32.10
#   bluez       5.66 5.82 5.87                             tags 5.87
#   librdkafka  2.8.0 2.14.2                               tags v2.14.2
#   gifsicle    1.93 1.96                                  tags v1.96
#   libmobi     0.12                                       tags v0.12
#   opensc      0.23.0 0.26.1 0.27.1                       tags 0.27.1
#   binaryen    108 120 131                                tags version_131
#   libdwarf    0.11.1 (dwarfutils)                        tags v0.11.1
#   readstat    1.1.9                                      tags v1.1.9
#   frr         8.4.4 10.3                                 tags frr-10.3
#   netcdf      4.9.0 4.9.3 4.10.1 (netcdf-c)              tags v4.10.1
#   fontforge   20230101                                   tags 20230101
#   libical     3.0.16 3.0.20 (libical3)                   tags v3.0.20
#   nodejs      18.20.4 20.19.2 22.22.2 (+dfsg: no bundled OpenSSL, nghttp2, undici)  tags v22.22.2
#   ruby        3.1.2 (ruby3.1) 3.3.8 (ruby3.3) 3.4.5 (ruby3.4)  tags v3_4_5
#   httpd       2.4.67 2.4.68 (apache2)                    tags 2.4.68
#   libssh      0.9.8 0.10.6 0.11.5                        tags libssh-0.11.5
#   monero      0.18.0.0                                   tags v0.18.0.0
#   tor         0.4.5.16 0.4.9.11                          tags tor-0.4.9.11
#   systemd     247.3 252.39 257.13                        tags v257.13
#   libyang     2.1.30 (libyang2) 3.12.2                   tags v3.12.2
#   cpython     3.9.2 3.11.2 3.13.5 3.13.15 (python3.X)   tags v3.13.15
#   neovim      0.4.4 0.7.2 0.10.4                         tags v0.10.4
#   nlohmann-json 3.11.2 3.11.3 (nlohmann-json3)          tags v3.11.3
#   pugixml     1.13 1.14                                  tags v1.14
#   squashfs-tools 4.5.1 4.6.1 4.7.5                       tags 4.7.5
#   iniparser   4.2.6                                      tags v4.2.6
#   inih        59 61 (libinih)                            tags r61
#   cmark-gfm   0.29.0.gfm.6 0.29.0.gfm.13                 tags 0.29.0.gfm.13
#   util-linux  2.36.1 2.38.1 2.41.5 2.42.4                tags v2.42.4
#   sudo        1.9.5p2 1.9.13p3 1.9.16p2 1.9.17p2         tags SUDO_1_9_17p2
#   flatbuffers 2.0.8 23.5.26                              tags v23.5.26
#   libjxl      0.7.0 0.11.2 (jpeg-xl)                     tags v0.11.2
#   keepalived  2.2.7 2.3.3 2.3.4                          tags v2.3.4
#   htop        3.0.5 3.2.2 3.4.1                          tags 3.4.1
#   coturn      4.6.1                                      tags 4.6.1
#   libzip      1.7.3                                      tags v1.7.3
#   mxml        3.2 3.3.1                                  tags v3.3.1
#   hunspell    1.7.1 1.7.2                                tags v1.7.2
#   taglib      1.13 2.0.2                                 tags v2.0.2
#   cups        2.3.3op2 2.4.2 2.4.10                      tags v2.4.10
#   libass      0.17.1                                     tags 0.17.1
#   rsyslog     8.2102.0 8.2302.0 8.2504.0                 tags v8.2504.0
#   tesseract   5.3.0 5.5.0                                tags 5.5.0
#   tcpreplay   4.3.4 4.4.4 4.5.2 (Ubuntu's pool)          tags v4.5.2
#   weechat     3.8 4.1.1 4.6.3                            tags v4.6.3
#   proftpd     1.3.8 1.3.8c (proftpd-dfsg)                tags v1.3.8c
#   openvpn     2.5.1 2.6.9 2.6.14                         tags v2.6.14
#   kamailio    5.4.4 5.6.3 6.0.1                          tags 6.0.1
#   syslog-ng   3.28.1 3.38.1 4.3.1                        tags syslog-ng-4.3.1
#   libsrtp     2.5.0 2.7.0 (libsrtp2)                     tags v2.7.0
#   znc         1.8.2 1.9.1                                tags znc-1.9.1
#   aria2       1.36.0 1.37.0                              tags release-1.37.0
#   radare2     5.5.0 (Ubuntu's copy)                      tags 5.5.0
#   mujs        1.1.3 1.3.2 1.3.6 1.3.8                    tags 1.3.8
#   duktape     2.7.0                                      tags v2.7.0
#   quickjs     2025.04.26                                 tags 2025.04.26
#   libbpf      0.3 1.1.2 1.5.0 1.7.0                      tags v1.7.0
#   mongoose    7.23                                       tags 7.23
#   memcached   1.6.14 1.6.24 1.6.38 1.6.45                tags 1.6.45
#   jsoncpp     1.9.5 1.9.6 1.9.8 (libjsoncpp)             tags 1.9.8
#   fluidsynth  2.2.5 2.3.4 2.4.8                          tags v2.4.8
#   libfyaml    0.7.12 0.8 0.9.4                           tags v0.9.4
#   nanopb      0.4.5 0.4.7 0.4.8 0.4.9.1                  tags 0.4.9.1
#   paho-mqtt-c 1.3.9 1.3.13 (paho.mqtt.c)                 tags v1.3.13
#   freeradius  3.0.21 3.2.1 3.2.7 3.2.10                  tags release_3_2_10
#   neomutt     20211029 20231103 20250510 20260616        tags 20260616
#   simdjson    1.0.2 3.0.1 3.6.4 3.12.3 4.2.4             tags v4.2.4
#
# Usage:   bench/debian_eval.sh PROJECT [WORK_DIR]   (default WORK_DIR: /tmp/vouch-PROJECT-eval)
# Env:     REPORTS (optional), VOUCH_BIN (default target/release/vouch, built when missing).
# Needs:   bash, git, python3, curl, xz, sha256sum; deb.debian.org and security.debian.org
#          (archive.ubuntu.com for releases Debian's pool no longer serves).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/eval_common.sh
. "$ROOT/bench/eval_common.sh"
PROJECT=${1:?usage: bench/debian_eval.sh PROJECT [WORK_DIR]}
WORK=${2:-/tmp/vouch-$PROJECT-eval}

# Per project: BRANCH, RELEASES (Debian package:upstream version, oldest first), FILE and SED
# (the version file and a sed expression printing its version, JOIN=joined for one number a
# line), TAG (a printf format for the release's tag; %s is the release, its dots replaced by
# SEP when set).
JOIN= SEP=
case $PROJECT in
  cjson)
    BRANCH=master RELEASES="cjson:1.7.14 cjson:1.7.15 cjson:1.7.18 cjson:1.7.19" FILE=cJSON.h JOIN=joined TAG=v%s
    SED='s/^#define CJSON_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' ;;
  libarchive)
    BRANCH=master RELEASES="libarchive:3.6.2 libarchive:3.7.4" FILE=libarchive/archive.h TAG=v%s
    SED='s/^#define[[:space:]]*ARCHIVE_VERSION_ONLY_STRING "\([0-9.]*\)".*/\1/p' ;;
  expat)
    BRANCH=master RELEASES="expat:2.2.10 expat:2.5.0 expat:2.8.2 expat:2.8.3" FILE=expat/lib/expat.h JOIN=joined TAG=R_%s SEP=_
    SED='s/^#[[:space:]]*define XML_\(MAJOR\|MINOR\|MICRO\)_VERSION \([0-9]*\).*/\2/p' ;;
  jq)
    # jq's version comes from git at build time; its tarballs' top folder names the release.
    BRANCH=master RELEASES="jq:1.6 jq:1.7.1 jq:1.8.2" FILE= TAG=jq-%s SED= ;;
  mosquitto)
    BRANCH=master RELEASES="mosquitto:2.0.11 mosquitto:2.0.21 mosquitto:2.1.2" FILE=config.mk TAG=v%s
    SED='s/^VERSION=\([0-9.]*\).*/\1/p' ;;
  freerdp)
    BRANCH=master RELEASES="freerdp2:2.11.7+dfsg1 freerdp3:3.15.0+dfsg" FILE=CMakeLists.txt TAG=%s
    SED='s/^set(RAW_VERSION_STRING "\([0-9.]*\)").*/\1/p' ;;
  json-c)
    # Tags carry the release date: json-c-0.16-20220414, as the tarball's top folder does.
    BRANCH=master RELEASES="json-c:0.15 json-c:0.16 json-c:0.18+ds" FILE=json_c_version.h TAG=json-c-%s
    SED='s/^#define JSON_C_VERSION "\([0-9.]*\)".*/\1/p' ;;
  gnuradio)
    BRANCH=main RELEASES="gnuradio:3.10.12.0" FILE=CMakeLists.txt JOIN=joined TAG=v%s
    SED='s/^SET(VERSION_\(MAJOR\|API\|ABI\|PATCH\) *\([0-9]*\)).*/\2/p' ;;
  gdal)
    BRANCH=master RELEASES="gdal:3.6.2+dfsg gdal:3.10.3+dfsg gdal:3.13.3+dfsg" FILE=VERSION TAG=v%s SED='s/^\([0-9.]*\)$/\1/p' ;;
  tinyxml2)
    BRANCH=master RELEASES="tinyxml2:8.0.0+dfsg tinyxml2:9.0.0+dfsg tinyxml2:11.0.0+dfsg" FILE=tinyxml2.h JOIN=joined TAG=%s
    SED='s/^static const int TIXML2_\(MAJOR\|MINOR\|PATCH\)_VERSION = \([0-9]*\);.*/\2/p' ;;
  md4c)
    BRANCH=master RELEASES="md4c:0.4.8 md4c:0.5.2" FILE=CMakeLists.txt JOIN=joined TAG=release-%s
    SED='s/^set(MD_VERSION_\(MAJOR\|MINOR\|RELEASE\) \([0-9]*\)).*/\2/p' ;;
  uriparser)
    # The version is on its own line inside project(uriparser VERSION ...).
    BRANCH=master RELEASES="uriparser:0.9.8+dfsg" FILE=CMakeLists.txt TAG=uriparser-%s SED='/^project(uriparser/,/LANGUAGES/s/^ *\([0-9][0-9.]*\)$/\1/p' ;;
  multimon-ng)
    BRANCH=master RELEASES="multimon-ng:1.3.1+dfsg" FILE=CMakeLists.txt TAG=%s SED='s/^set( VERSION "\([0-9.]*\)" ).*/\1/p' ;;
  rtl-433)
    # rtl_433's version comes from git at build time; its tarballs' top folder names the release.
    BRANCH=master RELEASES="rtl-433:22.11 rtl-433:25.02" FILE= TAG=%s SED= ;;
  php)
    BRANCH=master RELEASES="php8.2:8.2.32" FILE=main/php_version.h TAG=php-%s SED='s/^#define PHP_VERSION "\([0-9.]*\)".*/\1/p' ;;
  nginx)
    BRANCH=master RELEASES="nginx:1.18.0 nginx:1.22.1 nginx:1.26.3" FILE=src/core/nginx.h TAG=release-%s
    SED='s/^#define NGINX_VERSION *"\([0-9.]*\)".*/\1/p' ;;
  valkey)
    BRANCH=unstable RELEASES="valkey:8.1.1+dfsg1 valkey:9.1.2" FILE=src/version.h TAG=%s
    SED='s/^#define VALKEY_VERSION "\([0-9.]*\)".*/\1/p' ;;
  libsndfile)
    BRANCH=master RELEASES="libsndfile:1.2.0 libsndfile:1.2.2" FILE=configure.ac TAG=%s
    SED='s/^AC_INIT(\[libsndfile\],\[\([0-9.]*\)\].*/\1/p' ;;
  redis)
    BRANCH=unstable RELEASES="redis:6.0.16 redis:7.0.15 redis:8.0.2 redis:8.0.6" FILE=src/version.h TAG=%s
    SED='s/^#define REDIS_VERSION "\([0-9.]*\)".*/\1/p' ;;
  tcpdump)
    BRANCH=master RELEASES="tcpdump:4.99.3 tcpdump:4.99.6" FILE=VERSION TAG=tcpdump-%s SED='s/^\([0-9.]*\)$/\1/p' ;;
  zstd)
    BRANCH=dev RELEASES="libzstd:1.4.8+dfsg libzstd:1.5.4+dfsg2 libzstd:1.5.7+dfsg" FILE=lib/zstd.h JOIN=joined TAG=v%s
    SED='s/^#define ZSTD_VERSION_\(MAJOR\|MINOR\|RELEASE\) *\([0-9]*\).*/\2/p' ;;
  jansson)
    BRANCH=master RELEASES="jansson:2.14 jansson:2.15.1" FILE=src/jansson.h TAG=v%s
    SED='s/^#define JANSSON_VERSION "\([0-9.]*\)".*/\1/p' ;;
  libmodbus)
    BRANCH=master RELEASES="libmodbus:3.1.6 libmodbus:3.1.11" FILE=configure.ac JOIN=joined TAG=v%s
    SED='s/^m4_define(\[libmodbus_version_\(major\|minor\|micro\)\], \[\([0-9]*\)\]).*/\2/p' ;;
  libwebsockets)
    BRANCH=main RELEASES="libwebsockets:4.1.6 libwebsockets:4.3.5" FILE=CMakeLists.txt JOIN=joined TAG=v%s
    SED='s/^set(CPACK_PACKAGE_VERSION_\(MAJOR\|MINOR\|PATCH_NUMBER\) "\([0-9]*\)").*/\2/p' ;;
  libexif)
    # The version is on its own line inside AC_INIT([EXIF library], ...).
    BRANCH=master RELEASES="libexif:0.6.24 libexif:0.6.25 libexif:0.6.26" FILE=configure.ac TAG=libexif-%s-release SEP=_
    SED='s/^ *\[\([0-9][0-9.]*\)\],$/\1/p' ;;
  libcoap)
    BRANCH=develop RELEASES="libcoap3:4.3.1 libcoap3:4.3.5" FILE=configure.ac JOIN=joined TAG=v%s
    SED='s/^m4_define(\[libcoap_\(major\|minor\|micro\)_version\], \[\([0-9]*\)\]).*/\2/p' ;;
  htslib)
    BRANCH=develop RELEASES="htslib:1.16+ds htslib:1.24" FILE=version.sh TAG=%s SED='s/^VERSION=\([0-9.]*\)$/\1/p' ;;
  tmux)
    BRANCH=master RELEASES="tmux:3.1c tmux:3.3a tmux:3.5a" FILE=configure.ac TAG=%s SED='s/^AC_INIT(\[tmux\], \([0-9.a-z]*\)).*/\1/p' ;;
  libyaml)
    BRANCH=master RELEASES="libyaml:0.2.5" FILE=configure.ac JOIN=joined TAG=%s
    SED='s/^m4_define(\[YAML_\(MAJOR\|MINOR\|PATCH\)\], \([0-9]*\)).*/\2/p' ;;
  libplist)
    BRANCH=master RELEASES="libplist:2.2.0" FILE=configure.ac TAG=%s SED='s/^AC_INIT(\[libplist\], \[\([0-9.]*\)\].*/\1/p' ;;
  libgit2)
    BRANCH=main RELEASES="libgit2:1.1.0+dfsg.1 libgit2:1.5.1+ds libgit2:1.9.0+ds libgit2:1.9.7+ds" FILE=include/git2/version.h TAG=v%s
    SED='s/^#define LIBGIT2_VERSION *"\([0-9.]*\)".*/\1/p' ;;
  mruby)
    BRANCH=master RELEASES="mruby:3.1.0 mruby:3.3.0" FILE=include/mruby/version.h JOIN=joined TAG=%s
    SED='s/^#define MRUBY_RELEASE_\(MAJOR\|MINOR\|TEENY\) \([0-9]*\).*/\2/p' ;;
  civetweb)
    BRANCH=master RELEASES="civetweb:1.15+dfsg civetweb:1.16+dfsg" FILE=include/civetweb.h TAG=v%s
    SED='s/^#define CIVETWEB_VERSION "\([0-9.]*\)".*/\1/p' ;;
  libpcap)
    BRANCH=master RELEASES="libpcap:1.10.3 libpcap:1.10.5" FILE=VERSION TAG=libpcap-%s SED='s/^\([0-9.]*\)$/\1/p' ;;
  libmysofa)
    BRANCH=main RELEASES="libmysofa:1.3.3+dfsg" FILE=CMakeLists.txt JOIN=joined TAG=v%s
    SED='s/^set(CPACK_PACKAGE_VERSION_\(MAJOR\|MINOR\|PATCH\) "\([0-9]*\)").*/\2/p' ;;
  lrzip)
    # lrzip's version is split over m4 macros (0, 6, 51 for 0.651); its tarball's top folder names it.
    BRANCH=master RELEASES="lrzip:0.651" FILE= TAG=v%s SED= ;;
  libheif)
    BRANCH=master RELEASES="libheif:1.15.1 libheif:1.19.7" FILE=CMakeLists.txt TAG=v%s
    SED='s/^project(libheif LANGUAGES C CXX VERSION \([0-9.]*\)).*/\1/p' ;;
  libde265)
    # The version is on its own line inside project(libde265 ...).
    BRANCH=master RELEASES="libde265:1.0.11 libde265:1.0.15" FILE=CMakeLists.txt TAG=v%s
    SED='/^project (libde265/,/^)/s/^ *VERSION \([0-9.]*\)$/\1/p' ;;
  haproxy)
    BRANCH=master RELEASES="haproxy:2.2.9 haproxy:2.6.12 haproxy:3.0.11" FILE=VERSION TAG=v%s SED='s/^\([0-9.]*\)$/\1/p' ;;
  exiv2)
    # exiv2's version sits on the line after project(exiv2; its tarball's top folder names it.
    BRANCH=main RELEASES="exiv2:0.27.3 exiv2:0.27.6" FILE= TAG=v%s SED= ;;
  libgd)
    BRANCH=master RELEASES="libgd2:2.3.0 libgd2:2.3.3" FILE= TAG=gd-%s SED= ;;
  wavpack)
    BRANCH=master RELEASES="wavpack:5.6.0 wavpack:5.8.1" FILE= TAG=%s SED= ;;
  faad2)
    BRANCH=master RELEASES="faad2:2.10.1 faad2:2.11.2" FILE= TAG=%s SED= ;;
  libraw)
    BRANCH=master RELEASES="libraw:0.20.2 libraw:0.21.4" FILE= TAG=%s SED= ;;
  unbound)
    BRANCH=master RELEASES="unbound:1.17.1" FILE= TAG=release-%s SED= ;;
  qpdf)
    BRANCH=main RELEASES="qpdf:11.3.0 qpdf:12.2.0" FILE= TAG=v%s SED= ;;
  yaml-cpp)
    BRANCH=master RELEASES="yaml-cpp:0.7.0+dfsg yaml-cpp:0.8.0+dfsg" FILE=CMakeLists.txt TAG=yaml-cpp-%s
    SED='s/^project(YAML_CPP VERSION \([0-9.]*\) .*/\1/p' ;;
  dropbear)
    BRANCH=master RELEASES="dropbear:2022.83 dropbear:2025.89" FILE= TAG=DROPBEAR_%s SED= ;;
  tinyproxy)
    BRANCH=master RELEASES="tinyproxy:1.11.1" FILE= TAG=%s SED= ;;
  openexr)
    BRANCH=main RELEASES="openexr:2.5.4 openexr:3.1.5 openexr:3.1.13" FILE= TAG=v%s SED= ;;
  assimp)
    BRANCH=master RELEASES="assimp:5.4.3+ds assimp:6.0.5+ds" FILE=CMakeLists.txt TAG=v%s
    SED='s/^PROJECT(Assimp VERSION \([0-9.]*\).*/\1/p' ;;
  libvips)
    BRANCH=master RELEASES="vips:8.14.1 vips:8.16.1" FILE= TAG=v%s SED= ;;
  janus)
    BRANCH=master RELEASES="janus:1.1.2 janus:1.4.1+ds" FILE=configure.ac TAG=v%s
    SED='s/^JANUS_VERSION_STRING="\([0-9.]*\)"/\1/p' ;;
  imagemagick)
    BRANCH=main RELEASES="imagemagick:6.9.11.60+dfsg imagemagick:7.1.1.43+dfsg1" FILE=m4/version.m4 JOIN=joined TAG=%s
    SED='s/^m4_define(\[magick_\(major\|minor\|micro\|patchlevel\)_version\], \[\([0-9]*\)\])/\2/p' ;;
  libsolv)
    BRANCH=master RELEASES="libsolv:0.7.23 libsolv:0.7.32 libsolv:0.7.40" FILE= TAG=%s SED= ;;
  sleuthkit)
    BRANCH=develop RELEASES="sleuthkit:4.14.0+dfsg" FILE= TAG=sleuthkit-%s SED= ;;
  protobuf-c)
    BRANCH=master RELEASES="protobuf-c:1.3.3 protobuf-c:1.4.1 protobuf-c:1.5.1" FILE= TAG=v%s SED= ;;
  msgpack-c)
    BRANCH=c_master RELEASES="msgpack-c:4.0.0 msgpack-c:6.1.0" FILE= TAG=c-%s SED= ;;
  libavif)
    BRANCH=main RELEASES="libavif:1.4.2" FILE= TAG=v%s SED= ;;
  wabt)
    BRANCH=main RELEASES="wabt:1.0.32" FILE= TAG=%s SED= ;;
  espeak-ng)
    BRANCH=master RELEASES="espeak-ng:1.52.0+dfsg" FILE=configure.ac TAG=%s SED='s/^AC_INIT(\[eSpeak NG\], \[\([0-9.]*\)\].*/\1/p' ;;
  upx)
    BRANCH=devel RELEASES="upx-ucl:4.2.4" FILE=src/version.h TAG=v%s SED='s/^#define UPX_VERSION_STRING *"\([0-9.]*\)".*/\1/p' ;;
  stb)
    # stb has no releases; Debian packages snapshots of its master branch, named by date and commit.
    BRANCH=master FILE= TAG=snapshot-%s SED=
    RELEASES="libstb:0.0~git20200713.b42009b+ds libstb:0.0~git20220908.8b5f1f3+ds libstb:0.0~git20241109.5c20573+ds" ;;
  libvncserver)
    BRANCH=master RELEASES="libvncserver:0.9.14+dfsg libvncserver:0.9.15+dfsg" FILE= TAG=LibVNCServer-%s SED= ;;
  jhead)
    BRANCH=master RELEASES="jhead:3.06.0.1 jhead:3.08" FILE= TAG=%s SED= ;;
  leptonica)
    BRANCH=master RELEASES="leptonlib:1.82.0 leptonlib:1.84.1 leptonlib:1.86.0" FILE= TAG=%s SED= ;;
  cmark)
    BRANCH=master RELEASES="cmark:0.30.2" FILE= TAG=%s SED= ;;
  podofo)
    BRANCH=master RELEASES="libpodofo:0.9.8+dfsg" FILE= TAG=%s SED= ;;
  ndpi)
    BRANCH=dev RELEASES="ndpi:4.2" FILE= TAG=%s SED= ;;
  liblouis)
    # GitHub's tarballs name the commit, not the release, in their top folder.
    BRANCH=master RELEASES="liblouis:3.38.0 liblouis:3.39.0" FILE=configure.ac TAG=v%s
    SED='s/^AC_INIT(\[Liblouis\], \[\([0-9.]*\)\].*/\1/p' ;;
  hiredis)
    BRANCH=master RELEASES="hiredis:0.14.1 hiredis:1.2.0" FILE= TAG=v%s SED= ;;
  libxmp)
    BRANCH=master RELEASES="libxmp:4.5.0" FILE= TAG=libxmp-%s SED= ;;
  avahi)
    BRANCH=master RELEASES="avahi:0.8" FILE= TAG=v%s SED= ;;
  iperf3)
    BRANCH=master RELEASES="iperf3:3.9" FILE= TAG=%s SED= ;;
  vim)
    BRANCH=master RELEASES="vim:8.2.2434 vim:9.0.1378 vim:9.1.1230 vim:9.2.0858" FILE= TAG=v%s SED= ;;
  sdl)
    # SDL 2 and SDL 3 releases in date order (SDL 2.32 is still maintained after SDL 3.2).
    BRANCH=main RELEASES="libsdl2:2.26.5+dfsg libsdl3:3.2.10+ds libsdl2:2.32.10+dfsg" FILE= TAG=release-%s SED= ;;
  bluez)
    BRANCH=master RELEASES="bluez:5.66 bluez:5.82 bluez:5.87" FILE=configure.ac TAG=%s
    SED='s/^AC_INIT(bluez, \([0-9.]*\)).*/\1/p' ;;
  librdkafka)
    # GitHub's tarballs name the commit, not the release, in their top folder.
    BRANCH=master RELEASES="librdkafka:2.8.0 librdkafka:2.14.2" FILE=vcpkg.json TAG=v%s
    SED='s/^ *"version": "\([0-9.]*\)",.*/\1/p' ;;
  gifsicle)
    BRANCH=master RELEASES="gifsicle:1.93 gifsicle:1.96" FILE= TAG=v%s SED= ;;
  libmobi)
    BRANCH=public RELEASES="libmobi:0.12+dfsg" FILE= TAG=v%s SED= ;;
  opensc)
    # The version file moved (configure.ac, then VERSION.mk); NEWS heads every release's notes.
    BRANCH=master RELEASES="opensc:0.23.0 opensc:0.26.1 opensc:0.27.1" FILE=NEWS TAG=%s
    SED='s/^# New in \([0-9.]*\);.*/\1/p' ;;
  binaryen)
    BRANCH=main RELEASES="binaryen:108 binaryen:120 binaryen:131" FILE=CMakeLists.txt TAG=version_%s
    SED='s/^project(binaryen LANGUAGES C CXX VERSION \([0-9]*\)).*/\1/p' ;;
  libdwarf)
    BRANCH=main RELEASES="dwarfutils:0.11.1" FILE= TAG=v%s SED= ;;
  readstat)
    BRANCH=master RELEASES="readstat:1.1.9" FILE= TAG=v%s SED= ;;
  frr)
    BRANCH=master RELEASES="frr:8.4.4 frr:10.3" FILE= TAG=frr-%s SED= ;;
  netcdf)
    BRANCH=main RELEASES="netcdf:4.9.0 netcdf:4.9.3 netcdf:4.10.1" FILE= TAG=v%s SED= ;;
  fontforge)
    # fontforge numbers its releases by date.
    BRANCH=master RELEASES="fontforge:20230101~dfsg" FILE= TAG=%s SED= ;;
  libical)
    BRANCH=master RELEASES="libical3:3.0.16 libical3:3.0.20" FILE= TAG=v%s SED= ;;
  nodejs)
    # Debian's +dfsg tarballs leave out the dependencies Debian builds against its own packages
    # (OpenSSL, nghttp2, undici, c-ares, zlib, ...); deps/v8, deps/uv, deps/llhttp stay.
    BRANCH=main RELEASES="nodejs:18.20.4+dfsg nodejs:20.19.2+dfsg nodejs:22.22.2+dfsg+~cs22.19.15" FILE=src/node_version.h
    JOIN=joined TAG=v%s SED='s/^#define NODE_\(MAJOR\|MINOR\|PATCH\)_VERSION \([0-9]*\)$/\2/p' ;;
  ruby)
    BRANCH=master RELEASES="ruby3.1:3.1.2 ruby3.3:3.3.8 ruby3.4:3.4.5" FILE= TAG=v%s SEP=_ SED= ;;
  httpd)
    BRANCH=trunk RELEASES="apache2:2.4.67 apache2:2.4.68" FILE= TAG=%s SED= ;;
  libssh)
    BRANCH=master RELEASES="libssh:0.9.8 libssh:0.10.6 libssh:0.11.5" FILE= TAG=libssh-%s SED= ;;
  monero)
    BRANCH=master RELEASES="monero:0.18.0.0+~0+20200826" FILE= TAG=v%s SED= ;;
  tor)
    BRANCH=main RELEASES="tor:0.4.5.16 tor:0.4.9.11" FILE= TAG=tor-%s SED= ;;
  systemd)
    BRANCH=main RELEASES="systemd:247.3 systemd:252.39 systemd:257.13" FILE= TAG=v%s SED= ;;
  libyang)
    BRANCH=master RELEASES="libyang2:2.1.30 libyang:3.12.2" FILE=CMakeLists.txt JOIN=joined TAG=v%s
    SED='s/^set(LIBYANG_\(MAJOR\|MINOR\|MICRO\)_VERSION \([0-9]*\)).*/\2/p' ;;
  neovim)
    BRANCH=master RELEASES="neovim:0.4.4 neovim:0.7.2 neovim:0.10.4" FILE=CMakeLists.txt JOIN=joined TAG=v%s
    SED='s/^set(NVIM_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)).*/\2/p' ;;
  nlohmann-json)
    BRANCH=develop RELEASES="nlohmann-json3:3.11.2 nlohmann-json3:3.11.3" FILE=single_include/nlohmann/json.hpp JOIN=joined TAG=v%s
    SED='s/^#define NLOHMANN_JSON_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' ;;
  pugixml)
    BRANCH=master RELEASES="pugixml:1.13 pugixml:1.14" FILE= TAG=v%s SED= ;;
  squashfs-tools)
    BRANCH=master RELEASES="squashfs-tools:4.5.1 squashfs-tools:4.6.1 squashfs-tools:4.7.5" FILE= TAG=%s SED= ;;
  iniparser)
    BRANCH=main RELEASES="iniparser:4.2.6" FILE= TAG=v%s SED= ;;
  inih)
    BRANCH=master RELEASES="libinih:59 libinih:61" FILE= TAG=r%s SED= ;;
  cmark-gfm)
    BRANCH=master RELEASES="cmark-gfm:0.29.0.gfm.6 cmark-gfm:0.29.0.gfm.13" FILE= TAG=%s SED= ;;
  util-linux)
    BRANCH=master RELEASES="util-linux:2.36.1 util-linux:2.38.1 util-linux:2.41.5 util-linux:2.42.4" FILE= TAG=v%s SED= ;;
  sudo)
    BRANCH=main RELEASES="sudo:1.9.5p2 sudo:1.9.13p3 sudo:1.9.16p2 sudo:1.9.17p2" FILE= TAG=SUDO_%s SEP=_ SED= ;;
  flatbuffers)
    BRANCH=master RELEASES="flatbuffers:2.0.8+dfsg1 flatbuffers:23.5.26+dfsg" FILE= TAG=v%s SED= ;;
  libjxl)
    BRANCH=main RELEASES="jpeg-xl:0.7.0 jpeg-xl:0.11.2" FILE= TAG=v%s SED= ;;
  keepalived)
    BRANCH=master RELEASES="keepalived:2.2.7 keepalived:2.3.3 keepalived:2.3.4" FILE= TAG=v%s SED= ;;
  htop)
    BRANCH=main RELEASES="htop:3.0.5 htop:3.2.2 htop:3.4.1" FILE= TAG=%s SED= ;;
  coturn)
    BRANCH=master RELEASES="coturn:4.6.1" FILE= TAG=%s SED= ;;
  libzip)
    BRANCH=main RELEASES="libzip:1.7.3" FILE= TAG=v%s SED= ;;
  cpython)
    BRANCH=main RELEASES="python3.9:3.9.2 python3.11:3.11.2 python3.13:3.13.5 python3.13:3.13.15" FILE=Include/patchlevel.h TAG=v%s
    SED='s/^#define PY_VERSION[[:space:]]*"\([0-9.]*\)".*/\1/p' ;;
  mxml)
    BRANCH=master RELEASES="mxml:3.2 mxml:3.3.1" FILE= TAG=v%s SED= ;;
  hunspell)
    BRANCH=master RELEASES="hunspell:1.7.1 hunspell:1.7.2+really1.7.2" FILE= TAG=v%s SED= ;;
  taglib)
    BRANCH=master RELEASES="taglib:1.13 taglib:2.0.2" FILE= TAG=v%s SED= ;;
  cups)
    BRANCH=master RELEASES="cups:2.3.3op2 cups:2.4.2 cups:2.4.10" FILE= TAG=v%s SED= ;;
  libass)
    BRANCH=master RELEASES="libass:0.17.1" FILE= TAG=%s SED= ;;
  rsyslog)
    BRANCH=main RELEASES="rsyslog:8.2102.0 rsyslog:8.2302.0 rsyslog:8.2504.0" FILE= TAG=v%s SED= ;;
  tesseract)
    BRANCH=main RELEASES="tesseract:5.3.0 tesseract:5.5.0" FILE= TAG=%s SED= ;;
  tcpreplay)
    # Debian's pool serves none of the releases its indexes list; these are Ubuntu's copies.
    BRANCH=master RELEASES="tcpreplay:4.3.4 tcpreplay:4.4.4 tcpreplay:4.5.2" FILE= TAG=v%s SED= ;;
  weechat)
    BRANCH=main RELEASES="weechat:3.8 weechat:4.1.1 weechat:4.6.3" FILE= TAG=v%s SED= ;;
  proftpd)
    BRANCH=master RELEASES="proftpd-dfsg:1.3.8+dfsg proftpd-dfsg:1.3.8.c+dfsg" FILE= TAG=v%s SED= ;;
  openvpn)
    BRANCH=master RELEASES="openvpn:2.5.1 openvpn:2.6.9 openvpn:2.6.14" FILE= TAG=v%s SED= ;;
  kamailio)
    BRANCH=master RELEASES="kamailio:5.4.4 kamailio:5.6.3 kamailio:6.0.1" FILE= TAG=%s SED= ;;
  syslog-ng)
    BRANCH=develop RELEASES="syslog-ng:3.28.1 syslog-ng:3.38.1 syslog-ng:4.3.1" FILE= TAG=syslog-ng-%s SED= ;;
  libsrtp)
    BRANCH=main RELEASES="libsrtp2:2.5.0 libsrtp2:2.7.0" FILE= TAG=v%s SED= ;;
  znc)
    BRANCH=master RELEASES="znc:1.8.2 znc:1.9.1" FILE= TAG=znc-%s SED= ;;
  aria2)
    BRANCH=master RELEASES="aria2:1.36.0 aria2:1.37.0+debian" FILE= TAG=release-%s SED= ;;
  radare2)
    BRANCH=master RELEASES="radare2:5.5.0+dfsg" FILE= TAG=%s SED= ;;
  mujs)
    BRANCH=master RELEASES="mujs:1.1.3 mujs:1.3.2 mujs:1.3.6 mujs:1.3.8" FILE= TAG=%s SED= ;;
  duktape)
    BRANCH=master RELEASES="duktape:2.7.0" FILE= TAG=v%s SED= ;;
  quickjs)
    BRANCH=master RELEASES="quickjs:2025.04.26" FILE= TAG=%s SED= ;;
  libbpf)
    BRANCH=master RELEASES="libbpf:0.3 libbpf:1.1.2 libbpf:1.5.0 libbpf:1.7.0" FILE= TAG=v%s SED= ;;
  mongoose)
    BRANCH=master RELEASES="mongoose:7.23+ds" FILE=mongoose.h TAG=%s
    SED='s/^#define MG_VERSION "\([0-9.]*\)".*/\1/p' ;;
  memcached)
    BRANCH=master RELEASES="memcached:1.6.14 memcached:1.6.24 memcached:1.6.38 memcached:1.6.45" FILE= TAG=%s SED= ;;
  jsoncpp)
    BRANCH=master RELEASES="libjsoncpp:1.9.5 libjsoncpp:1.9.6 libjsoncpp:1.9.8" FILE=include/json/version.h TAG=%s
    SED='s/^#define JSONCPP_VERSION_STRING "\([0-9.]*\)".*/\1/p' ;;
  fluidsynth)
    BRANCH=master RELEASES="fluidsynth:2.2.5 fluidsynth:2.3.4 fluidsynth:2.4.8+dfsg" FILE= TAG=v%s SED= ;;
  libfyaml)
    BRANCH=master RELEASES="libfyaml:0.7.12 libfyaml:0.8 libfyaml:0.9.4" FILE=.tarball-version TAG=v%s SED=p ;;
  nanopb)
    BRANCH=master RELEASES="nanopb:0.4.5 nanopb:0.4.7 nanopb:0.4.8 nanopb:0.4.9.1" FILE= TAG=%s SED= ;;
  paho-mqtt-c)
    BRANCH=master RELEASES="paho.mqtt.c:1.3.9 paho.mqtt.c:1.3.13" FILE= TAG=v%s SED= ;;
  freeradius)
    BRANCH=master RELEASES="freeradius:3.0.21+dfsg freeradius:3.2.1+dfsg freeradius:3.2.7+dfsg freeradius:3.2.10+dfsg" FILE= TAG=release_%s SEP=_ SED= ;;
  neomutt)
    BRANCH=main RELEASES="neomutt:20211029+dfsg1 neomutt:20231103+dfsg1 neomutt:20250510+dfsg neomutt:20260616+dfsg" FILE= TAG=%s SED= ;;
  simdjson)
    BRANCH=master RELEASES="simdjson:1.0.2 simdjson:3.0.1 simdjson:3.6.4 simdjson:3.12.3 simdjson:4.2.4" FILE=include/simdjson/simdjson_version.h
    TAG=v%s SED='s/^#define SIMDJSON_VERSION "*\([0-9.]*\)"*.*/\1/p' ;;
  *) die "unknown project '$PROJECT' ($(sed -n 's/^  \([a-z0-9-]*\))$/\1/p' "${BASH_SOURCE[0]}" | paste -sd, | sed 's/,/, /g'))" ;;
esac

mkdir -p "$WORK"
REPO="$WORK/$PROJECT"
new_repo "$REPO" "$BRANCH" "$PROJECT release"
for pair in $RELEASES; do
  pkg=${pair%%:*} upstream=${pair#*:}
  want=${upstream%%+*}
  want=${want%%~dfsg*} # Debian's repacking mark, as in 20230101~dfsg
  # Debian writes upstream's letter releases with a dot so they sort after the plain one
  # (ProFTPD's 1.3.8c is Debian's 1.3.8.c).
  [[ $want =~ ^(.*[0-9])\.([a-z])$ ]] && want=${BASH_REMATCH[1]}${BASH_REMATCH[2]}
  tree=$(debian_src "$pkg" "$upstream" "$WORK") || die "$pkg $upstream: not fetched"
  top=$(basename "$tree")
  if [ -n "$FILE" ]; then
    if [ "$JOIN" = joined ]; then
      release=$(sed -n "$SED" "$tree/$FILE" | paste -sd.)
    else
      release=$(sed -n "$SED" "$tree/$FILE" | head -n1)
    fi
    [ "$release" = "$want" ] || die "$pkg $upstream: $FILE says ${release:-no version}, expected $want"
  else
    case $top in *-"$want" | *-"$upstream" | *-v"$want" | *-r"$want") ;; *) die "$pkg $upstream: the tarball's folder $top does not name $want" ;; esac
  fi
  # shellcheck disable=SC2059
  rel=$want
  [ -z "$SEP" ] || rel=${want//./$SEP}
  tag=$(printf "$TAG" "$rel")
  [ "$PROJECT" = json-c ] && tag=${top#json-c-}
  # ImageMagick numbers its releases 7.1.1-43.
  [ "$PROJECT" = imagemagick ] && tag=${top#ImageMagick-}
  [ "$PROJECT" = stb ] && tag=$(printf "$TAG" "${want#0.0~git}")
  date=$(find "$tree" -type f -printf '%TY-%Tm-%Td\n' | sort | tail -n1)
  release_commit "$REPO" "$tree" "$date" "$tag" "$PROJECT $tag (Debian $pkg $upstream)"
  log "$PROJECT $tag  $date  ($pkg $upstream, $(find "$tree" -type f | wc -l) files)"
done
finish_repo "$ROOT" "$REPO" "$WORK"
