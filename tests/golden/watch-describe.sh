# Watching pods come up one by one, then describing what was made.
kubectl apply -f web.yaml
timeout 20 kubectl get pods -w
kubectl get sts,pvc -o name
kubectl describe sts web
kubectl describe pvc data-web-0
kubectl get events
kubectl get pod web-0 -o yaml
kubectl get svc visits -o json
kubectl get cm,sa
kubectl get ep visits
kubectl get sc,pv
kubectl logs web-0
kubectl exec web-0 -- curl -s web-0.visits:8080 > /dev/null
kubectl logs web-0 --tail=1
kubectl exec web-0 -- ls /data
kubectl exec -it web-0 -- sh
hostname -i
env | grep VISITS
echo $HOSTNAME > /tmp/name
cat /tmp/name
exit
kubectl get pods | grep web | wc -l
kubectl port-forward pod/web-1 8081:8080 &
curl -s localhost:8081/visits
kubectl label pod web-0 tier=frontend
kubectl get pods -l tier=frontend --show-labels
