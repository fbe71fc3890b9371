/**
 * The /etc/os-release of the images the lab's containers stand for: the tools are the machine's binaries, but what a
 * learner reads about the system is the image's, as in the real lab. Images not listed keep the machine's file.
 */
const OS_RELEASE: Array<[prefix: string, text: string]> = [
  // kindest/node v1.23 is built on Ubuntu 21.10.
  [
    'kindest/node:',
    `PRETTY_NAME="Ubuntu 21.10"
NAME="Ubuntu"
VERSION_ID="21.10"
VERSION="21.10 (Impish Indri)"
VERSION_CODENAME=impish
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=impish
`,
  ],
  // VyOS 1.2 "crux" (on a Debian 8 base).
  [
    'vyos/vyos:',
    `PRETTY_NAME="VyOS 1.2.8 (crux)"
NAME="VyOS"
VERSION_ID="1.2.8"
VERSION="1.2.8 (crux)"
ID=vyos
ID_LIKE=debian
HOME_URL="https://vyos.io/"
SUPPORT_URL="https://support.vyos.io/"
BUG_REPORT_URL="https://phabricator.vyos.net/"
`,
  ],
  // netshoot is an Alpine image.
  [
    'nicolaka/netshoot:',
    `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`,
  ],
]

/** The os-release text of `image`, or undefined when the lab has none for it. */
export function imageOsRelease(image: string): string | undefined {
  return OS_RELEASE.find(([prefix]) => image.startsWith(prefix))?.[1]
}
