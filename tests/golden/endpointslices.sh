# EndpointSlices with conditions (§6.3): ready/serving/terminating, hostname, nodeName,
# targetRef; the API server's own `kubernetes` slice; kubectl's columns, -o yaml, describe.
kubectl apply -f web.yaml
kubectl get endpointslices
sleep 30
kubectl get endpointslices
kubectl describe endpointslice kubernetes
kubectl get endpointslice kubernetes -o yaml
kubectl delete pod web-1 --wait=false
kubectl get endpointslices -l kubernetes.io/service-name=visits -o yaml
kubectl describe endpointslices -l kubernetes.io/service-name=visits
kubectl get endpoints visits
sleep 30
kubectl get endpointslices -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name}{" ready="}{.conditions.ready}{" serving="}{.conditions.serving}{" terminating="}{.conditions.terminating}{"\n"}{end}'
kubectl scale sts web --replicas=5
kubectl rollout status sts/web
kubectl get endpointslices
