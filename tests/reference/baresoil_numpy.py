from osgeo import gdal
import numpy as np, json, sys
D='/work/shared/data/satellite/landsat8_L2SP_brumadinho_2019/'
P=json.load(open('/work/main/models/baresoil/params.json'))['rules']['landsat']['clauses']
def load(d):
    bands=[]
    for b in range(2,8):
        a=gdal.Open(D+'LC08_L2SP_218074_%s_20200829_02_T1_SR_B%d.TIF'%(d,b)).ReadAsArray().astype(np.float64)
        v=(a*2.75e-05-0.2).astype(np.float32); v[a==0]=np.nan; bands.append(v)
    return bands
def feats(b,g,r,n,s1,s2):
    with np.errstate(all='ignore'):
        return {"ndvi": (n - r) / (n + r),"bsi": ((s1 + r) - (n + b)) / ((s1 + r) + (n + b)),"ndbi": (s1 - n) / (s1 + n),"mndwi": (g - s1) / (g + s1),"nbr": (n - s2) / (n + s2),"mbi": ((s1 - s2) - n) / ((s1 + s2) + n) + np.float32(0.5),"red_green": r / g,"red_blue": r / b,"swir2_swir1": s2 / s1,"swir1_nir": s1 / n}
def classify(B):
    F=feats(*B); m=np.ones(B[0].shape,bool)
    for c in P:
        t=np.float32(c['threshold'])
        m&= F[c['feature']]>t if c['op']=='>' else F[c['feature']]<t
    valid=np.all([np.isfinite(b) for b in B],0)
    clear=valid&~(B[0]>np.float32(0.18))&~((B[3]<np.float32(0.1))&(B[4]<np.float32(0.1)))
    return m&valid, clear
def label(mask):
    h,w=mask.shape; lab=-np.ones((h,w),int); n=0; sizes=[]
    for y in range(h):
        for x in range(w):
            if mask[y,x] and lab[y,x]<0:
                st=[(y,x)]; lab[y,x]=n; c=0; xs=[];ys=[]
                while st:
                    a,b=st.pop(); c+=1; xs.append(b); ys.append(a)
                    for dy in (-1,0,1):
                        for dx in (-1,0,1):
                            yy,xx=a+dy,b+dx
                            if 0<=yy<h and 0<=xx<w and mask[yy,xx] and lab[yy,xx]<0:
                                lab[yy,xx]=n; st.append((yy,xx))
                sizes.append((c,min(xs),max(xs),min(ys),max(ys),np.mean(xs)+0.5,np.mean(ys)+0.5)); n+=1
    return lab,sizes
B0=load('20190114'); B1=load('20190130')
m0,c0=classify(B0); m1,c1=classify(B1)
new=m1&c1&c0&~m0
pers=m1&m0
print('bare d0',m0.sum(),'d1',m1.sum(),'new',new.sum(),'persistent',pers.sum())
for name,m in (('new',new),('persistent',pers),('single d1',m1)):
    lab,s=label(m); s=sorted(s,reverse=True)
    big=[x for x in s if x[0]*900>=5000]
    print(name,'patches>=0.5ha',len(big),'top',[(x[0],x[1],x[2],x[3],x[4],round(x[5],2),round(x[6],2)) for x in big[:4]])
