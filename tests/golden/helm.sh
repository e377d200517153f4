# The full text of `helm install --dry-run --debug`, applied as is.
kubectl apply -f helm-dry-run.txt
sleep 30
kubectl get po,sts,svc,pvc
kubectl logs demo-pre-install
kubectl exec demo-0 -- env | grep -E 'GREETING|VISITS'
kubectl exec demo-1 -- curl -s demo-0.demo:5000/
kubectl exec demo-0 -- cat /app/data/visits
export POD_NAME=$(kubectl get pods -l "app.kubernetes.io/name=demo" -o jsonpath="{.items[0].metadata.name}")
echo $POD_NAME
