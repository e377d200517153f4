# Typos, unknown pods, broken manifests and forbidden updates.
kubectl get pods
kubectl apply -f nope.yaml
kubectl apply -f web.yaml
kubectl get pod web-9
kubectl exec web-9 -- cat /data/visits
kubectl foo
kubectl get foos
kubectl describe pod
kubectl exec web-0 cat /data/visits
sleep 15
kubectl exec web-0 -- cat /nope
kubectl exec web-0 -- bash -c 'echo $HOSTNAME'
kubectl scale sts web --replicas=-1
kubectl patch sts web -p '{"spec":{"serviceName":"other"}}'
kubectl rollout status deployment/web
curl http://web-0.visits:8080/
echo 'unclosed
nosuchcommand --flag
kubectl delete pod web-9
kubectl logs web-9
kubectl get pods -o yamll
