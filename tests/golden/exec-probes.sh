# Exec readiness probes (§5.6, §5.7): `cat /tmp/ready` runs in the container; the
# learner creates and removes the file with kubectl exec; EndpointSlice conditions follow.
kubectl apply -f exec-probe.yaml
sleep 25
kubectl get pods
kubectl exec web-1 -- touch /tmp/ready
sleep 10
kubectl get pods
kubectl get endpointslices
kubectl exec web-1 -- rm /tmp/ready
sleep 20
kubectl get pods
sleep 10
kubectl get pods
kubectl describe pod web-1
kubectl get events --sort-by=.lastTimestamp | grep Unhealthy
