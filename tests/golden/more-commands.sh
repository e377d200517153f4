# host: linux
# create, wait, annotate, wget, NodePort with minikube service, delete -l and --cascade=orphan.
kubectl create -f web.yaml
kubectl create -f web.yaml
kubectl wait --for=condition=Ready pod/web-0 --timeout=60s
kubectl wait --for=condition=Ready pod/web-2 --timeout=5s
kubectl rollout status sts/web --timeout=2m
kubectl annotate sts web team=platform
kubectl get sts web -o jsonpath='{.metadata.annotations.team}{"\n"}'
kubectl exec web-0 -- wget -qO- http://web-1.visits:8080/visits
kubectl exec web-0 -- wget -qO- http://web-9.visits:8080/
kubectl apply -f nodeport.yaml
minikube service web-np --url
curl -s http://192.168.49.2:30080/visits
minikube service visits --url
kubectl get svc web-np
kubectl delete pod web-0
kubectl get pods
kubectl wait --for=delete pod/web-0 --timeout=60s
kubectl wait --for=condition=Ready pod/web-0 --timeout=60s
kubectl exec web-0 -- cat /etc/hosts
kubectl delete sts web --cascade=orphan
kubectl get sts,pods
kubectl delete pods -l app=visits
kubectl get pvc --no-headers | wc -l
