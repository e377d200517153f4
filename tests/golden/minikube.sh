# host: linux
# minikube service on the Docker driver (Linux): NodePort URLs, a tunnel for a ClusterIP Service, service list.
kubectl apply -f clusterip.yaml
minikube service web
kubectl apply -f web.yaml
kubectl apply -f nodeport.yaml
kubectl rollout status sts/web --timeout=2m
minikube service list
minikube service web-np
minikube service web-np --url
minikube service web --url
minikube service web
for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w "%{http_code} " http://127.0.0.1:47825/; done; echo
kubectl exec web-0 -- cat /data/visits; echo
kubectl exec web-1 -- cat /data/visits; echo
minikube service nope
kubectl apply -f loadbalancer.yaml
kubectl get svc web-lb
IP=$(kubectl get svc web-lb -o jsonpath='{.spec.clusterIP}')
curl -sS -m 2 http://$IP/visits; echo "exit $?"
minikube tunnel
kubectl get svc web-lb
EXTERNAL=$(kubectl get svc web-lb -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
test "$EXTERNAL" = "$IP" && echo "external IP is the ClusterIP"
curl -s http://$EXTERNAL/visits
kubectl describe svc web-lb | grep Ingress
