# helm create's chart rendered, installed, upgraded, rolled back and uninstalled (Helm v3.21).
helm create web
ls web web/templates
helm lint web
helm template web ./web --show-only templates/service.yaml
helm install web ./web --dry-run | head -12
helm install web ./web
helm list
kubectl get deploy,svc,sa,secret
kubectl rollout status deploy/web
helm upgrade web ./web --set image.tag=1.27 --set replicaCount=2
helm history web
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.replicas}'; echo
helm get values web
helm rollback web 1
helm history web
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.replicas}'; echo
helm status web | head -6
helm test web
helm install web ./web
helm uninstall web
helm list
kubectl get deploy,svc,secret
helm status web
helm template myrel ./web --set serviceAccount.create=false,service.type=NodePort --show-only templates/service.yaml | grep type
helm template myrel ./web --set serviceAccount.create=false --show-only templates/deployment.yaml | grep serviceAccountName
helm template myrel ./web --show-only templates/nothing.yaml
helm install broken ./web --set image.tag=1.0 --set replicaCount=nope
helm upgrade --install other ./web -n default | head -3
helm list -a
