#!/bin/bash
# Moves the lab's Cilium from 1.13 to 1.18. The 1.18 chart refuses the old `tunnel` value, so the release's values
# are reset (--reset-values) and given again in 1.18's words: routingMode=native replaces tunnel=disabled.
helm repo update > /dev/null 2>&1

helm upgrade cilium cilium/cilium \
  --version 1.18.2 \
  --namespace kube-system \
  --reset-values \
  --set debug.enabled=true \
  --set cluster.name=clab-bgp-cplane \
  --set ipam.mode=kubernetes \
  --set routingMode=native \
  --set ipv4NativeRoutingCIDR=10.0.0.0/8 \
  --set bgpControlPlane.enabled=true \
  --set k8s.requireIPv4PodCIDR=true
