kubectl apply -f web.yaml
sleep 30
kubectl get events --sort-by=.lastTimestamp --no-headers | head -3
kubectl get pods --sort-by=.status.podIP
timeout 5 kubectl logs -f web-0
kubectl get pods --bogus
kubectl get pods -z
kubectl exec web-0 -x -- ls
