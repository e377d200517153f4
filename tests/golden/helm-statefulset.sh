# The lab's Task 2: helm create's Deployment made a StatefulSet with a headless
# Service and volumeClaimTemplates, installed, each pod's storage proved, upgraded
# and rolled back (the editor writes the files in the page; here cat does).
helm create web
cat helm-statefulset.yaml > web/templates/statefulset.yaml
cat helm-headless-service.yaml > web/templates/service.yaml
rm web/templates/deployment.yaml
helm install web ./web --dry-run | grep 'kind: StatefulSet'
helm install web ./web --set replicaCount=3
kubectl rollout status sts/web
kubectl get sts,svc,pvc
kubectl exec web-1 -- sh -c 'echo web-1 was here > /usr/share/nginx/html/index.html'
kubectl delete pod web-1
sleep 10
kubectl get pods
kubectl exec web-1 -- cat /usr/share/nginx/html/index.html
kubectl run dns --image=busybox:1.36 --rm -it --restart=Never -- nslookup web-1.web
helm upgrade web ./web --reuse-values --set image.tag=1.17.0 | head -6
kubectl rollout status sts/web
kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].image}'; echo
helm rollback web 1
kubectl rollout status sts/web
kubectl get sts web -o jsonpath='{.spec.template.spec.containers[0].image}'; echo
helm history web
helm uninstall web
kubectl get pvc
