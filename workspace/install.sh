#!/bin/bash
# Creates the kind cluster "clab-bgp": one control plane and three workers, no default CNI (Cilium comes later),
# pod CIDR 10.98.0.0/16, and on each node the IP it will have on the fabric plus a rack label for the BGP policies.
date
set -v

cat <<EOF2 | kind create cluster --image=kindest/node:v1.23.4 --config=-
kind: Cluster
name: clab-bgp
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  disableDefaultCNI: true
  podSubnet: "10.98.0.0/16"
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: InitConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-ip: 10.1.5.10
        node-labels: "rack=rack0"

- role: worker
  kubeadmConfigPatches:
  - |
    kind: JoinConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-ip: 10.1.5.11
        node-labels: "rack=rack0"

- role: worker
  kubeadmConfigPatches:
  - |
    kind: JoinConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-ip: 10.1.8.10
        node-labels: "rack=rack1"

- role: worker
  kubeadmConfigPatches:
  - |
    kind: JoinConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-ip: 10.1.8.11
        node-labels: "rack=rack1"
EOF2

# 2. let pods run on the control plane too (four racks members, four test pods)
controller_node=`kubectl get nodes --no-headers  -o custom-columns=NAME:.metadata.name| grep control-plane`
kubectl taint nodes $controller_node node-role.kubernetes.io/master:NoSchedule-
kubectl get nodes -o wide

# 3. the kindest/node image has no ping or tcpdump: add them where they are missing
for i in $(docker ps -a --format "table {{.Names}}" | grep clab-bgp-)
do
    if ! docker exec $i sh -c 'command -v tcpdump && command -v ping' >/dev/null 2>&1; then
        echo "installing tools in $i"
        docker exec $i bash -c "apt-get -y update >/dev/null && apt-get -y install iputils-ping net-tools tcpdump bridge-utils >/dev/null 2>&1"
    fi
done
