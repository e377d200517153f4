# Scaling, claims left behind, partitioned rolling update, OnDelete and rollback.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl scale sts web --replicas=5
kubectl rollout status sts/web
kubectl get pods
kubectl scale sts web --replicas=2
sleep 30
kubectl get pods
kubectl get pvc
kubectl scale sts web --replicas=3
kubectl rollout status sts/web
kubectl patch sts web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
kubectl set image sts/web visits=ghcr.io/example/visits:2.0
kubectl rollout status sts/web
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.containers[0].image}{"\n"}{end}'
kubectl patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}'
kubectl rollout status sts/web
kubectl rollout history sts/web
kubectl rollout undo sts/web
kubectl rollout status sts/web
kubectl rollout history sts/web
kubectl rollout pause sts/web
kubectl patch sts web --type=json -p '[{"op":"replace","path":"/spec/updateStrategy","value":{"type":"OnDelete"}}]'
kubectl set image sts/web visits=ghcr.io/example/visits:3.0
sleep 20
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.containers[0].image}{"\n"}{end}'
kubectl rollout status sts/web
kubectl delete pod web-0
kubectl get pod web-0 -o jsonpath='{.spec.containers[0].image}{"\n"}'
