# A StatefulSet lab, as a learner types it on minikube.
kubectl apply -f web.yaml
kubectl get po,sts,svc,pvc
kubectl rollout status sts/web
kubectl get po,sts,svc,pvc
kubectl get pods -o wide
for i in 0 1 2; do kubectl exec web-$i -- sh -c 'hostname'; done
kubectl exec web-0 -- hostname -f
kubectl exec web-0 -- curl -s http://web-0.visits:8080/visits
kubectl exec web-1 -- curl -s http://localhost:8080/
kubectl exec web-1 -- curl -s http://localhost:8080/
kubectl exec web-1 -- cat /data/visits
kubectl exec web-0 -- cat /data/visits
kubectl delete pod web-1
kubectl get pods
sleep 10
kubectl get pods
kubectl exec web-1 -- cat /data/visits
kubectl exec web-0 -- nslookup web-1.visits
kubectl exec web-0 -- nslookup web-9.visits
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
nslookup web-0.visits
nslookup visits
exit
kubectl get pvc
# a one-off pod attached to its command, removed after (--rm)
kubectl run -it --rm dns --image=busybox:1.28 --restart=Never -- nslookup web-0.nginx
kubectl get pods dns
