# kube-system as a fresh minikube v1.32 lists it: static control-plane pods, CoreDNS,
# kube-proxy, the storage provisioner and kube-dns; ages from cluster start; nothing in
# default changes (the first pod still gets 10.244.0.2).
kubectl get pods -A
kubectl apply -f web.yaml
sleep 90
kubectl get nodes
kubectl get ns
kubectl get pods --all-namespaces -o wide
kubectl get pods -n kube-system
kubectl get svc -A
kubectl get po,svc -n kube-system -o wide
kubectl get endpoints -A
kubectl get pods
kubectl get sts -n kube-system
kubectl describe svc kube-dns -n kube-system
kubectl exec web-0 -- nslookup kube-dns.kube-system
kubectl logs -n kube-system etcd-minikube
kubectl get pods -n nowhere
