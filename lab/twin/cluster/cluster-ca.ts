/**
 * The cluster CA certificate the twin publishes where kubeadm does (kube-root-ca.crt, cluster-info,
 * extension-apiserver-authentication). A kind cluster makes its own CA; the twin serves no TLS, so one fixed
 * self-signed "kubernetes" CA (its key was never kept) gives tools a real certificate to parse.
 */
export const CLUSTER_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUOWzN/frWX9FkxfsmGkUKw44M8zUwDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjEyMDMxNDE4MjNaFw0zNjEx
MzAxNDE4MjNaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQCs/huFuHsLIw19SmgzIU9FFR9+kPv4f0WRZgCqB3Wa
wLJ6tGMtPvBOLmgySsUBMGVMfefQDxSngkdNB6/+MTzNhedeIZcKA6z3g6RJF88n
tBzF7DH+5ERU3E/VeCm9bE3VAUjkXEOY/hKh7yhlhm1NDOMl2xn77CcUcUHgAVlg
ESrMWhaaNXomSAXEGZG7zezWKrCopIym0kOKfAOT+n96JeTkQCy1Lbr2Eb0F12PC
cDcx2CrRytnu5+hVEJwgfBt5MkUE1x2/v6d1P+sjoM2HPQX+28meN+RdcoWIuLCq
X9TinrJ1Qd+FLDwJKDL//hjsuIqx+4Vl8Hfk01fdBVhxAgMBAAGjYzBhMB0GA1Ud
DgQWBBSd6q5xSGa3wn/dHcfGGTCWiJJVnTAfBgNVHSMEGDAWgBSd6q5xSGa3wn/d
HcfGGTCWiJJVnTAOBgNVHQ8BAf8EBAMCAqQwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEARpNe+yCSJetYAwbjsHxh5BJI4IZcnzXlETgv4bWQ4Ci6
c+FleHWY6cuBpTTFsPcNkUOySeuvsM2nmDpyGQw/PNiDo3YLsLpXXUUyInGeBvYu
0/X/2AYlQ31pGVPcgsRjvkG6HjmF3vU/qJwKAnnFwG9dyGwDre3Gf5Vz6GTQ6/Zf
MAtXDr0shjeqvn28QUQx5NZSdm3Bf1Mj5LGhasb258n0PcYddgGPU0MfDPkk9uou
gC0jLcNDoRG6f9vIYiLMvvYjxDJOn68bUCycZBvV20BP/17qxOmoVNJu/tlTXaFW
oR1SJK7D8jTYLGcT4VQerKn0eCdGPKubhwq1uuHKcQ==
-----END CERTIFICATE-----
`

/** The CA as a kubeconfig's certificate-authority-data. */
export const CLUSTER_CA_DATA = Buffer.from(CLUSTER_CA_PEM).toString('base64')
